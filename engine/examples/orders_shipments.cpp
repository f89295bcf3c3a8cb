// Orders joined with their shipments: Flink's interval join.
//
//   flink-cpp run -t local [-p N] orders-shipments --orders FILE --shipments FILE
//       --lower SECONDS --upper SECONDS --output DIR
//
// Order lines are "order_id,timestamp_ms,customer,amount", shipment lines
// "shipment_id,order_id,timestamp_ms", all integers; a line that does not
// parse fails the job naming its file and line number. Each file is read
// by one source subtask from its first line to its last, with watermarks
// 5 s behind the largest timestamp so far (Flink's bounded
// out-of-orderness), and the join runs keyed by order id at the job's
// parallelism. A shipment matches an order of its order id when its
// timestamp lies in [order timestamp + lower, order timestamp + upper], both
// bounds inclusive (SECONDS: decimals allowed, negative ones too); each match
// writes "order_id,shipment_id,customer,amount,delay_ms" (delay = shipment
// timestamp - order timestamp) to part files in --output. Records more than
// 5 s behind the latest of their file may come too late for their matches
// (as in Flink: dropped once the watermark passed them).

#include <array>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

#include "example_args.hpp"
#include "flinkcpp/flinkcpp.hpp"

namespace {

struct order {
  std::int64_t id = 0;
  std::int64_t time_ms = 0;
  std::int64_t customer = 0;
  std::int64_t amount = 0;
};

template <class Inspector>
auto inspect(Inspector& f, order& x) {
  return f(x.id, x.time_ms, x.customer, x.amount);
}

struct shipment {
  std::int64_t id = 0;
  std::int64_t order_id = 0;
  std::int64_t time_ms = 0;
};

template <class Inspector>
auto inspect(Inspector& f, shipment& x) {
  return f(x.id, x.order_id, x.time_ms);
}

/// The N comma-separated integers of `line`; throws std::runtime_error
/// naming its file and line number, and `fields`, when it has others.
template <std::size_t N>
std::array<std::int64_t, N> integers_of(const flinkcpp::text_line& line, const char* fields) {
  std::array<std::int64_t, N> out{};
  std::string_view rest{line.text};
  for (std::size_t i = 0; i < N; ++i) {
    auto comma = i + 1 < N ? rest.find(',') : std::string_view::npos;
    auto field = rest.substr(0, comma);
    auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), out[i]);
    if (ec != std::errc{} || end != field.data() + field.size() || field.empty() ||
        (i + 1 < N && comma == std::string_view::npos))
      throw std::runtime_error(
        "cannot read line " + std::to_string(line.number) + " of " + line.file + ": expected " +
        std::to_string(N) + " comma-separated integers (" + fields + "), got '" + line.text + "'");
    rest = i + 1 < N ? rest.substr(comma + 1) : std::string_view{};
  }
  return out;
}

/// Each match's output line.
struct match_line final : flinkcpp::process_join_function<order, shipment, std::string> {
  void process_element(const order& o, const shipment& s, context&,
                       flinkcpp::collector<std::string>& out) override {
    out.collect(std::to_string(o.id) + "," + std::to_string(s.id) + "," +
                std::to_string(o.customer) + "," + std::to_string(o.amount) + "," +
                std::to_string(s.time_ms - o.time_ms));
  }
};

/// Flink's bounded out-of-orderness of both inputs.
constexpr std::chrono::seconds out_of_orderness{5};

} // namespace

FLINKCPP_NAMED_JOB(
  orders_shipments, "orders-shipments",
  "Orders joined with their shipments within an interval (--orders FILE --shipments "
  "FILE --lower S --upper S --output DIR)")
(flinkcpp::stream_environment& env, const flinkcpp::job_args& args) {
  using flinkcpp::examples::milliseconds_of;
  auto orders_path = args.required("orders");
  auto shipments_path = args.required("shipments");
  auto lower = milliseconds_of(args, "lower", true);
  auto upper = milliseconds_of(args, "upper", true);
  auto output = args.required("output");
  if (lower > upper)
    throw flinkcpp::job_argument_error("--lower must not be above --upper");

  auto orders =
    env.read_text_lines(orders_path)
      .name("orders")
      .set_parallelism(1)
      .map([](const flinkcpp::text_line& line) {
        auto f = integers_of<4>(line, "order_id,timestamp_ms,customer,amount");
        return order{f[0], f[1], f[2], f[3]};
      })
      .name("parse orders")
      .set_parallelism(1)
      .assign_timestamps_and_watermarks(
        flinkcpp::watermark_strategy<order>::for_bounded_out_of_orderness(out_of_orderness)
          .with_timestamp_assigner([](const order& o) { return o.time_ms; }))
      .name("order timestamps")
      .set_parallelism(1);
  auto shipments =
    env.read_text_lines(shipments_path)
      .name("shipments")
      .set_parallelism(1)
      .map([](const flinkcpp::text_line& line) {
        auto f = integers_of<3>(line, "shipment_id,order_id,timestamp_ms");
        return shipment{f[0], f[1], f[2]};
      })
      .name("parse shipments")
      .set_parallelism(1)
      .assign_timestamps_and_watermarks(
        flinkcpp::watermark_strategy<shipment>::for_bounded_out_of_orderness(out_of_orderness)
          .with_timestamp_assigner([](const shipment& s) { return s.time_ms; }))
      .name("shipment timestamps")
      .set_parallelism(1);
  orders.key_by(&order::id)
    .interval_join(shipments.key_by(&shipment::order_id))
    .between(std::chrono::milliseconds{lower}, std::chrono::milliseconds{upper})
    .process(match_line{})
    .name("orders-shipments")
    .uid("orders-shipments")
    .write_to_directory(output)
    .name("matches");
}
