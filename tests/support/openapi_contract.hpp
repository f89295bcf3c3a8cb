#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace flinkcpp::testing {

/// An operation of an OpenAPI document: "GET /jobs/{jobid}".
struct api_operation {
  std::string method; ///< upper case
  std::string path;   ///< the document's template, with {parameters}
};

/// Flink's REST API as its OpenAPI 3 document describes it
/// (../shared/flink-rest/rest_v1_dispatcher.yml), to check real answers
/// against: every field the operation's response schema names must be there
/// (unless exempted), no field it does not name, with its type (integers
/// within int32/int64, nulls only where Java has a reference), enum values,
/// nesting through $ref, allOf, oneOf (one alternative must fit) and
/// discriminator mappings. Not thread-safe; immutable after loading.
class openapi_contract {
public:
  /// Loads the document; nullopt when `path` does not exist (the caller says
  /// so and skips), throws std::runtime_error when it cannot be parsed.
  static std::optional<openapi_contract> load(const std::string& path);

  /// Every operation of the document.
  std::vector<api_operation> operations() const;

  /// Whether `op` documents a JSON response for HTTP `status`.
  bool has_response(const api_operation& op, int status) const;

  /// The document's HTTP statuses of success for `op` (2xx).
  std::vector<int> success_statuses(const api_operation& op) const;

  /// Checks `body`, the answer of `op` with HTTP `status`, against the
  /// operation's response schema. Returns one line per violation, each
  /// naming the field's path ("$.vertices[0].metrics.read-bytes") and what
  /// was wrong; empty when the body fits.
  std::vector<std::string> check_response(const api_operation& op, int status,
                                          const nlohmann::json& body) const;

  /// Replaces (or adds) the document's schema `name`: where Flink's own
  /// serializers write other JSON than the document (generated from Java
  /// classes) says, and Flink's clients read what the serializers write.
  void correct_schema(const std::string& name, nlohmann::json schema);

  /// Fields that may be missing: "SchemaName.field" (Flink omits them when
  /// empty, or later Flink versions dropped them).
  void allow_missing(std::set<std::string> fields) { optional_ = std::move(fields); }

  /// Fields beyond the document: "SchemaName.field" (later Flink versions add
  /// them).
  void allow_extra(std::set<std::string> fields) { extra_ = std::move(fields); }

private:
  explicit openapi_contract(nlohmann::json document) : document_(std::move(document)) {}

  const nlohmann::json* operation(const api_operation& op) const;
  void check(const nlohmann::json& schema, const std::string& name, const nlohmann::json& value,
             const std::string& where, std::vector<std::string>& out) const;
  const nlohmann::json& resolve(const nlohmann::json& schema, std::string& name) const;

  nlohmann::json document_;
  std::set<std::string> optional_;
  std::set<std::string> extra_;
};

} // namespace flinkcpp::testing
