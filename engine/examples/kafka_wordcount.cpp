// WordCount from Kafka to Kafka.
//
//   flink-cpp run ... kafka-wordcount --bootstrap-servers HOST:PORT[,HOST:PORT...]
//       --input-topic T --output-topic T [--group-id G]
//       [--delivery exactly-once|at-least-once|none] [--bounded]
//
// Reads lines (the values of the input topic's records), counts words with
// WordCount's tokenization and writes every update as a record keyed by the
// word with the value "(word,count)" (STREAMING: the last value of a word
// is its total). With --bounded the job stops at the offsets the input
// topic had when it started. --group-id (default "kafka-wordcount") is the
// consumer group whose offsets are committed when checkpoints complete; a
// fresh job starts at the group's committed offsets, or at the earliest.
// --delivery (default at-least-once): exactly-once writes through Kafka
// transactions committed when checkpoints complete (or when a bounded job
// finishes), with the transactional id prefix
// "kafka-wordcount-<output topic>"; readers see its output with
// isolation.level=read_committed.

#include <string>
#include <string_view>

#include "flinkcpp/flinkcpp.hpp"
#include "flinkcpp/kafka_sink.hpp"
#include "flinkcpp/kafka_source.hpp"
#include "word_tokenizer.hpp"

namespace {

using flinkcpp::examples::tokenize;
using flinkcpp::examples::word_count;

flinkcpp::delivery_guarantee delivery_of(const std::string& name) {
  if (name == "exactly-once")
    return flinkcpp::delivery_guarantee::exactly_once;
  if (name == "at-least-once")
    return flinkcpp::delivery_guarantee::at_least_once;
  if (name == "none")
    return flinkcpp::delivery_guarantee::none;
  throw flinkcpp::job_argument_error(
    "--delivery: expected exactly-once, at-least-once or none, got '" + name + "'");
}

} // namespace

FLINKCPP_NAMED_JOB(kafka_wordcount, "kafka-wordcount",
                   "Counts the words of a Kafka topic's records into another topic "
                   "(--bootstrap-servers, --input-topic, --output-topic)")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  auto servers = args.required("bootstrap-servers");
  auto input = args.required("input-topic");
  auto output = args.required("output-topic");
  auto group = args.get("group-id", "kafka-wordcount");
  auto delivery = delivery_of(args.get("delivery", "at-least-once"));

  auto source = flinkcpp::kafka_source<std::string>::builder();
  source.set_bootstrap_servers(servers)
    .set_topics({input})
    .set_group_id(group)
    .set_starting_offsets(
      flinkcpp::offsets_initializer::committed_offsets(flinkcpp::offset_reset::earliest))
    .set_value_only_deserializer([](std::string_view v) { return std::string{v}; });
  if (args.has("bounded"))
    source.set_bounded(flinkcpp::offsets_initializer::latest());

  auto sink =
    flinkcpp::kafka_sink<word_count>::builder()
      .set_bootstrap_servers(servers)
      .set_record_serializer(flinkcpp::kafka_record_serializer<word_count>::builder()
                               .set_topic(output)
                               .set_key_serializer([](const word_count& w) { return w.word; })
                               .set_value_serializer([](const word_count& w) {
                                 return "(" + w.word + "," + std::to_string(w.count) + ")";
                               })
                               .build())
      .set_delivery_guarantee(delivery)
      .set_transactional_id_prefix("kafka-wordcount-" + output)
      .build();

  env
    .from_source(source.build(), flinkcpp::watermark_strategy<std::string>::no_watermarks(),
                 "kafka-input")
    .uid("kafka-input")
    .flat_map(tokenize)
    .name("tokenizer")
    .key_by(&word_count::word)
    .sum(&word_count::count)
    .name("counter")
    .uid("counter")
    .sink_to(sink, "kafka-output")
    .uid("kafka-output");
}
