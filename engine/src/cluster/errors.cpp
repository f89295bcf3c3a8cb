#include "cluster/errors.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/sec.hpp>

namespace flinkcpp {

namespace {

constexpr caf::atom_value category = caf::atom("flinkcpp");

/// The single string an error's context holds, if that is what it holds.
const std::string* message_of(const caf::message& context) {
  if (context.size() == 1 && context.match_element<std::string>(0))
    return &context.get_as<std::string>(0);
  return nullptr;
}

} // namespace

caf::error make_control_error(errc code, std::string message) {
  return caf::error{static_cast<std::uint8_t>(code), category,
                    caf::make_message(std::move(message))};
}

std::string error_text(caf::actor_system& system, const caf::error& error) {
  if (const auto* message = message_of(error.context()))
    return *message;
  return system.render(error);
}

failure failure_of(caf::actor_system& system, const caf::error& error) {
  auto code = errc::unspecified;
  if (error.category() == category)
    code = static_cast<errc>(error.code());
  else if (error == caf::sec::request_timeout || error == caf::sec::request_receiver_down)
    code = errc::unavailable;
  return failure{code, error_text(system, error)};
}

void register_error_category(caf::actor_system_config& config) {
  config.add_error_category(category,
                            [](std::uint8_t code, caf::atom_value, const caf::message& context) {
                              auto text = std::string{to_string(static_cast<errc>(code))};
                              if (const auto* message = message_of(context))
                                text += ": " + *message;
                              return text;
                            });
}

} // namespace flinkcpp
