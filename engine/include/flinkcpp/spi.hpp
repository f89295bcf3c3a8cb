#pragma once

// The engine's extension surface (service provider interface): what a job
// library may implement or call beyond the DataStream API, as Flink's
// StreamOperator, StreamPartitioner and state backend interfaces are.
//
//   spi/stream_operator.hpp    stream_operator, source_operator, operator_context,
//                              operator_factory: an operator instance and how the
//                              runtime drives it (one thread per subtask)
//   spi/operator_snapshot.hpp  what an operator puts into a checkpoint (operator
//                              state lists, keyed state per key group) and gets back
//   spi/kv_store.hpp           the byte store under keyed state on the LevelDB
//                              backend, and a subtask's keyed_backend
//   spi/key_groups.hpp         key groups and their assignment to subtasks
//   spi/partitioner.hpp        ship strategies, record writers and partitioners
//   spi/record_batch.hpp       the batch records travel in
//   spi/io_executor.hpp        where blocking I/O runs
//   spi/processing_clock.hpp   processing time: the wall clock a subtask's
//                              timers and ingestion time read
//
// Stability: these are part of the ABI (FLINKCPP_ABI_VERSION in
// flinkcpp/version.hpp). A change that breaks a library compiled before bumps
// the ABI number, and the engine then refuses such a library by name.
// Everything under flinkcpp/detail/ is template plumbing the DataStream API
// instantiates; a job library includes it only through the API headers.

#include "flinkcpp/spi/io_executor.hpp"
#include "flinkcpp/spi/key_groups.hpp"
#include "flinkcpp/spi/kv_store.hpp"
#include "flinkcpp/spi/operator_snapshot.hpp"
#include "flinkcpp/spi/partitioner.hpp"
#include "flinkcpp/spi/processing_clock.hpp"
#include "flinkcpp/spi/record_batch.hpp"
#include "flinkcpp/spi/stream_operator.hpp"
