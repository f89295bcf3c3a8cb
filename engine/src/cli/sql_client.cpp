#include "cli/sql_client.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli/job_preparation.hpp"
#include "cli/local_runner.hpp"
#include "cli/remote_commands.hpp"
#include "sql/parser/parse.hpp"
#include "sql/session.hpp"
#include "sql/sql_error.hpp"
#include "sql/sql_script.hpp"

namespace flinkcpp {

namespace {

namespace fs = std::filesystem;
using sql::table_result;

std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

/// Flink's tableau format: a box of columns, values right-aligned.
void print_table(const table_result& t, std::ostream& out) {
  std::vector<std::size_t> width;
  for (const auto& h : t.header)
    width.push_back(display_width(h));
  for (const auto& r : t.rows)
    for (std::size_t i = 0; i < r.size(); ++i)
      width[i] = std::max(width[i], display_width(r[i]));
  std::string rule = "+";
  for (auto w : width)
    rule += std::string(w + 2, '-') + "+";
  auto line = [&](const std::vector<std::string>& cells) {
    out << "|";
    for (std::size_t i = 0; i < cells.size(); ++i)
      out << " " << std::string(width[i] - display_width(cells[i]), ' ') << cells[i] << " |";
    out << "\n";
  };
  out << rule << "\n";
  line(t.header);
  out << rule << "\n";
  for (const auto& r : t.rows)
    line(r);
  out << rule << "\n";
}

void print_rows_footer(std::size_t n, std::ostream& out) {
  if (n == 0)
    out << "Empty set\n";
  else
    out << n << (n == 1 ? " row" : " rows") << " in set\n";
}

class client {
public:
  explicit client(const sql_client_request& request) : request_(request) {}

  int run(const std::string& script, const std::string& source) {
    std::vector<sql::statement> statements;
    try {
      statements = sql::parse_script(script);
    } catch (const sql::sql_error& e) {
      std::cout << "[ERROR] " << sql::describe(e, script, source) << "\n";
      return 1;
    }
    for (const auto& s : statements) {
      try {
        if (!execute(s))
          return 1;
      } catch (const sql::sql_error& e) {
        std::cout << "[ERROR] " << sql::describe(e, script, source) << "\n";
        return 1;
      }
      std::cout.flush();
    }
    return 0;
  }

private:
  /// Runs one statement; false when it failed (the failure was printed).
  bool execute(const sql::statement& s) {
    using namespace sql;
    if (std::holds_alternative<create_table>(s.body) ||
        std::holds_alternative<create_view>(s.body) ||
        std::holds_alternative<create_function>(s.body) ||
        std::holds_alternative<drop_object>(s.body)) {
      session_.apply_ddl(s);
      std::cout << "[INFO] Execute statement succeeded.\n";
      return true;
    }
    if (const auto* set = std::get_if<set_statement>(&s.body)) {
      if (!set->key) {
        table_result t{{"key", "value"}, {}};
        for (const auto& [k, v] : session_.settings())
          t.rows.push_back({k, v});
        print_table(t, std::cout);
        print_rows_footer(t.rows.size(), std::cout);
        return true;
      }
      session_.set(*set->key, set->value);
      std::cout << "[INFO] Execute statement succeeded.\n";
      return true;
    }
    if (const auto* reset = std::get_if<reset_statement>(&s.body)) {
      session_.reset(reset->key);
      std::cout << "[INFO] Execute statement succeeded.\n";
      return true;
    }
    if (const auto* show = std::get_if<show_statement>(&s.body)) {
      auto t = session_.show(*show, s.at);
      print_table(t, std::cout);
      print_rows_footer(t.rows.size(), std::cout);
      return true;
    }
    if (const auto* describe = std::get_if<describe_statement>(&s.body)) {
      auto t = session_.describe(*describe, s.at);
      print_table(t, std::cout);
      print_rows_footer(t.rows.size(), std::cout);
      return true;
    }
    if (std::holds_alternative<insert_statement>(s.body) ||
        std::holds_alternative<statement_set>(s.body)) {
      session_.check(s);
      return submit(s);
    }
    if (const auto* select = std::get_if<select_statement>(&s.body))
      return query(s, *select->body);
    const auto& explain = std::get<std::shared_ptr<const explain_statement>>(s.body);
    std::cout << session_.explain(*explain);
    return true;
  }

  /// The configuration overrides of a job: -D, then the session's SETs.
  std::vector<std::string> properties() const {
    auto all = request_.properties;
    for (const auto& [k, v] : session_.settings())
      if (k.rfind("sql-client.", 0) != 0 && k != "table.dml-sync")
        all.push_back(k + "=" + v);
    return all;
  }

  int run_job(const std::string& script, std::vector<std::string> extra_args, bool wait) {
    std::vector<std::string> args = {"--script", script};
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    if (request_.local) {
      job_request r;
      r.job = "sql";
      r.job_args = args;
      r.config_dir = request_.config_dir;
      r.dynamic_properties = properties();
      auto prepared = prepare_job(r);
      if (!prepared) {
        std::cout << "[ERROR] " << prepared.error() << "\n";
        return 1;
      }
      return run_local(*prepared);
    }
    remote_run_request r;
    r.jobmanager = request_.jobmanager;
    r.job = "sql";
    r.job_args = args;
    r.properties = properties();
    r.detached = !wait;
    return run_remote(r);
  }

  bool submit(const sql::statement& s) {
    std::cout << "[INFO] Submitting SQL update statement to the cluster...\n";
    std::cout.flush();
    bool sync = session_.setting("table.dml-sync").value_or("false") == "true";
    auto code = run_job(session_.job_script(s), {}, sync || request_.local);
    if (code != 0) {
      std::cout << "[ERROR] The SQL update statement failed (see above).\n";
      return false;
    }
    std::cout << "[INFO] SQL update statement has been successfully "
              << (request_.local || sync ? "executed." : "submitted to the cluster.") << "\n";
    return true;
  }

  bool query(const sql::statement& s, const sql::query& q) {
    if (!request_.local)
      throw sql::sql_error(s.at, "a SELECT's results come back to the client in the embedded "
                                 "mode only (-t local): on a cluster, INSERT INTO a sink table");
    auto columns = session_.result_columns(q);
    auto mode = session_.setting("sql-client.execution.result-mode").value_or("table");
    std::transform(mode.begin(), mode.end(), mode.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (mode != "table" && mode != "changelog" && mode != "tableau")
      throw sql::sql_error(s.at, "sql-client.execution.result-mode is '" + mode +
                                   "': expected table, changelog or tableau");
    auto dir = fs::temp_directory_path() / ("flink-cpp-sql-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    auto path = dir / ("result-" + std::to_string(++results_));
    auto code = run_job(session_.job_script(s), {"--collect", path.string()}, true);
    std::vector<std::vector<std::string>> changes;
    std::ifstream in{path};
    for (std::string line; std::getline(in, line);) {
      std::vector<std::string> cells;
      for (const auto& cell : nlohmann::json::parse(line))
        cells.push_back(cell.get<std::string>());
      changes.push_back(std::move(cells));
    }
    in.close();
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    if (code != 0) {
      std::cout << "[ERROR] The query failed (see above).\n";
      return false;
    }
    table_result t;
    if (mode == "changelog" || mode == "tableau") {
      t.header.push_back("op");
      for (const auto& c : columns)
        t.header.push_back(c.name);
      t.rows = changes;
      print_table(t, std::cout);
      std::cout << "Received a total of " << changes.size()
                << (changes.size() == 1 ? " row" : " rows") << "\n";
      return true;
    }
    // The changelog applied: what the result holds once the query ended.
    for (const auto& c : columns)
      t.header.push_back(c.name);
    for (auto& change : changes) {
      std::vector<std::string> values(change.begin() + 1, change.end());
      if (change[0] == "+I" || change[0] == "+U") {
        t.rows.push_back(std::move(values));
      } else {
        auto it = std::find(t.rows.begin(), t.rows.end(), values);
        if (it != t.rows.end())
          t.rows.erase(it);
      }
    }
    print_table(t, std::cout);
    print_rows_footer(t.rows.size(), std::cout);
    return true;
  }

  const sql_client_request& request_;
  sql::session session_;
  int results_ = 0;
};

} // namespace

int run_sql_client(const sql_client_request& request) {
  sql::script_source script;
  if (request.script_file) {
    try {
      script = sql::read_script_file(*request.script_file);
    } catch (const job_argument_error& e) {
      std::cerr << "flink-cpp: " << e.what() << "\n";
      return 1;
    }
  } else {
    std::ostringstream text;
    text << std::cin.rdbuf();
    script = {text.str(), "<stdin>"};
  }
  client c{request};
  return c.run(script.text, script.name);
}

} // namespace flinkcpp
