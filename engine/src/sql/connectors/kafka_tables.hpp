#pragma once

// The 'kafka' and 'upsert-kafka' table connectors (internal to
// sql/connectors; scan_table and write_table dispatch to them).
//
// kafka: records of 'topic' (';'-separated) or 'topic-pattern' from
// 'properties.bootstrap.servers', the value in 'format' / 'value.format'
// (csv, json, raw), optionally the key columns ('key.fields') in
// 'key.format'; 'scan.startup.mode' and 'scan.bounded.mode' as Flink's;
// metadata 'timestamp', 'partition', 'offset', 'topic'. As a sink: append-only
// rows, 'sink.delivery-guarantee' none, at-least-once or exactly-once (with
// 'sink.transactional-id-prefix'), the 'timestamp' metadata written.
//
// upsert-kafka: the PRIMARY KEY's columns are the record's key; a value is an
// upsert of its key, a tombstone a delete. Read as a changelog (normalized
// per key: -U of the value it replaces, +U); written from any changelog
// (+I and +U as values, -D as tombstones).

#include <vector>

#include "flinkcpp/stream_environment.hpp"
#include "flinkcpp/watermark_strategy.hpp"
#include "sql/catalog/catalog.hpp"
#include "sql/connectors/table_connectors.hpp"
#include "sql/planner/relation.hpp"

namespace flinkcpp::sql {

/// The physical columns, then the metadata ones, of a Kafka table's
/// records, with `watermarks` made per partition if given. An upsert
/// table's rows are not normalized yet (+U and -D).
relation kafka_scan(stream_environment& env, const table_definition& table,
                    const std::vector<const table_column*>& physical,
                    const std::vector<const table_column*>& metadata, position at,
                    const std::optional<watermark_strategy<row>>& watermarks);

/// Writes rows holding `written` (written_columns(table)) into a Kafka
/// table.
void kafka_write(const relation& rows, const table_definition& table,
                 const std::vector<const table_column*>& written, operator_namer& names,
                 position at);

} // namespace flinkcpp::sql
