#include "sql/functions/sql_regex.hpp"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdexcept>

namespace flinkcpp::sql {

namespace {

std::string error_text(int code) {
  PCRE2_UCHAR text[256];
  pcre2_get_error_message(code, text, sizeof text);
  return reinterpret_cast<const char*>(text);
}

/// Match data for one match of `code`, freed when it goes.
struct match_data {
  explicit match_data(const pcre2_code* code)
    : data(pcre2_match_data_create_from_pattern(code, nullptr)) {
    if (data == nullptr)
      throw std::bad_alloc();
  }
  ~match_data() { pcre2_match_data_free(data); }
  match_data(const match_data&) = delete;
  match_data& operator=(const match_data&) = delete;

  pcre2_match_data* data;
};

} // namespace

struct sql_regex::compiled {
  pcre2_code* code = nullptr;
  ~compiled() { pcre2_code_free(code); }
};

sql_regex::sql_regex(const std::string& pattern) : code_(std::make_unique<compiled>()) {
  int error = 0;
  PCRE2_SIZE offset = 0;
  code_->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), 0,
                              &error, &offset, nullptr);
  if (code_->code == nullptr)
    throw std::invalid_argument(error_text(error) + " at offset " + std::to_string(offset) +
                                " of '" + pattern + "'");
  // Without a JIT (some platforms) the interpreter matches the same.
  pcre2_jit_compile(code_->code, PCRE2_JIT_COMPLETE);
}

sql_regex::~sql_regex() = default;

bool sql_regex::search(std::string_view s) const {
  match_data m{code_->code};
  return pcre2_match(code_->code, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), 0, 0, m.data,
                     nullptr) >= 0;
}

std::optional<std::string> sql_regex::extract(std::string_view s, std::size_t group) const {
  match_data m{code_->code};
  int found = pcre2_match(code_->code, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), 0, 0,
                          m.data, nullptr);
  if (found < 0 || group >= pcre2_get_ovector_count(m.data))
    return std::nullopt;
  const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(m.data);
  auto begin = ovector[2 * group];
  auto end = ovector[2 * group + 1];
  if (begin == PCRE2_UNSET || group >= static_cast<std::size_t>(found))
    return std::nullopt;
  return std::string{s.substr(begin, end - begin)};
}

std::string sql_regex::replace_all(std::string_view s, std::string_view replacement) const {
  std::string out(s.size() + 64, '\0');
  for (;;) {
    auto length = static_cast<PCRE2_SIZE>(out.size());
    int done =
      pcre2_substitute(code_->code, reinterpret_cast<PCRE2_SPTR>(s.data()), s.size(), 0,
                       PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_OVERFLOW_LENGTH, nullptr, nullptr,
                       reinterpret_cast<PCRE2_SPTR>(replacement.data()), replacement.size(),
                       reinterpret_cast<PCRE2_UCHAR*>(out.data()), &length);
    if (done == PCRE2_ERROR_NOMEMORY) {
      out.resize(length); // what it needs, with its terminating zero
      continue;
    }
    if (done < 0)
      throw std::runtime_error("REGEXP_REPLACE: " + error_text(done));
    out.resize(length);
    return out;
  }
}

} // namespace flinkcpp::sql
