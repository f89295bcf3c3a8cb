// Copies the records of one Kafka topic to another, exactly once: the job
// bench_kafka measures against kcat piping the same records.
//
//   kafka_copy --bootstrap-servers B --input-topic T --output-topic T
//              [--delivery exactly-once|at-least-once|none]
//
// Reads the input topic to the end it had at the start (bounded), values
// only, and writes each value unchanged.

#include <string>

#include "flinkcpp/flinkcpp.hpp"
#include "flinkcpp/kafka_sink.hpp"
#include "flinkcpp/kafka_source.hpp"
#include "flinkcpp/raw_format.hpp"

FLINKCPP_JOB(kafka_copy, "Copies a Kafka topic's record values to another topic")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  auto servers = args.required("bootstrap-servers");
  auto output = args.required("output-topic");
  auto delivery = args.get("delivery", "exactly-once");
  auto source = flinkcpp::kafka_source<std::string>::builder()
                  .set_bootstrap_servers(servers)
                  .set_topics({args.required("input-topic")})
                  .set_starting_offsets(flinkcpp::offsets_initializer::earliest())
                  .set_bounded(flinkcpp::offsets_initializer::latest())
                  .set_value_only_deserializer(flinkcpp::raw_format{})
                  .build();
  auto sink = flinkcpp::kafka_sink<std::string>::builder()
                .set_bootstrap_servers(servers)
                .set_record_serializer(flinkcpp::kafka_record_serializer<std::string>::builder()
                                         .set_topic(output)
                                         .set_value_serialization_schema(flinkcpp::raw_format{})
                                         .build())
                .set_delivery_guarantee(
                  delivery == "exactly-once"    ? flinkcpp::delivery_guarantee::exactly_once
                  : delivery == "at-least-once" ? flinkcpp::delivery_guarantee::at_least_once
                                                : flinkcpp::delivery_guarantee::none)
                .set_transactional_id_prefix("kafka-copy-" + output)
                .build();
  env.from_source(source, flinkcpp::watermark_strategy<std::string>::no_watermarks(), "input")
    .sink_to(sink, "output");
}
