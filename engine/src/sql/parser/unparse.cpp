#include "sql/parser/unparse.hpp"

#include <set>

namespace flinkcpp::sql {

namespace {

std::string quoted_identifier(const std::string& name) {
  std::string out = "`";
  for (char c : name) {
    out += c;
    if (c == '`')
      out += '`';
  }
  return out + "`";
}

std::string quoted_string(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c;
    if (c == '\'')
      out += '\'';
  }
  return out + "'";
}

std::string dotted(const std::vector<std::string>& name) {
  std::string out;
  for (const auto& part : name)
    out += (out.empty() ? "" : ".") + quoted_identifier(part);
  return out;
}

std::string arguments(const std::vector<expr_ptr>& args, std::size_t from = 0) {
  std::string out;
  for (std::size_t i = from; i < args.size(); ++i)
    out += (i > from ? ", " : "") + (args[i] ? to_sql(*args[i]) : std::string{"NULL"});
  return out;
}

bool is_binary_operator(const std::string& name) {
  static const std::set<std::string> ops = {"+", "-", "*",  "/",  "%",   "||", "=",   "<>",
                                            "<", ">", "<=", ">=", "AND", "OR", "LIKE"};
  return ops.count(name) > 0;
}

} // namespace

std::string to_sql(const type_syntax& t) {
  std::string out = t.kind;
  if (t.kind == "ROW" || t.kind == "ARRAY" || t.kind == "MAP") {
    out += "<";
    for (std::size_t i = 0; i < t.fields.size(); ++i)
      out += (i ? ", " : "") +
             (t.fields[i].name.empty() ? "" : quoted_identifier(t.fields[i].name) + " ") +
             to_sql(t.fields[i].type);
    out += ">";
  } else if (!t.parameters.empty()) {
    out += "(";
    for (std::size_t i = 0; i < t.parameters.size(); ++i)
      out += (i ? ", " : "") + std::to_string(t.parameters[i]);
    out += ")";
  }
  return t.not_null ? out + " NOT NULL" : out;
}

std::string to_sql(const expr& e) {
  switch (e.what) {
    case expr::kind::null_literal:
      return "NULL";
    case expr::kind::boolean_literal:
    case expr::kind::number_literal:
      return e.text;
    case expr::kind::string_literal:
      return quoted_string(e.text);
    case expr::kind::typed_literal:
      return e.type.kind + " " + quoted_string(e.text);
    case expr::kind::interval_literal:
      return "INTERVAL " + quoted_string(e.text) + " " + e.name.at(0);
    case expr::kind::column:
      return dotted(e.name);
    case expr::kind::star:
      return e.name.empty() ? "*" : dotted(e.name) + ".*";
    case expr::kind::table_argument:
      return "TABLE " + dotted(e.name);
    case expr::kind::descriptor: {
      std::string out = "DESCRIPTOR(";
      for (std::size_t i = 0; i < e.name.size(); ++i)
        out += (i ? ", " : "") + quoted_identifier(e.name[i]);
      return out + ")";
    }
    case expr::kind::named_argument:
      return e.name.at(0) + " => " + to_sql(*e.args.at(0));
    case expr::kind::subquery:
      return "(SELECT ...)";
    case expr::kind::cast:
      return std::string{e.distinct ? "TRY_CAST(" : "CAST("} + to_sql(*e.args.at(0)) + " AS " +
             to_sql(e.type) + ")";
    case expr::kind::case_when: {
      std::string out = "CASE";
      if (e.args[0])
        out += " " + to_sql(*e.args[0]);
      std::size_t i = 1;
      for (; i + 1 < e.args.size(); i += 2)
        out += " WHEN " + to_sql(*e.args[i]) + " THEN " + to_sql(*e.args[i + 1]);
      if (i < e.args.size())
        out += " ELSE " + to_sql(*e.args[i]);
      return out + " END";
    }
    case expr::kind::call: {
      const auto& name = e.name.at(0);
      if (is_binary_operator(name) && e.args.size() == 2)
        return "(" + to_sql(*e.args[0]) + " " + name + " " + to_sql(*e.args[1]) + ")";
      if (name == "NOT")
        return "NOT " + to_sql(*e.args.at(0));
      if (name == "NEGATE")
        return "-" + to_sql(*e.args.at(0));
      if (name.rfind("IS ", 0) == 0)
        return "(" + to_sql(*e.args.at(0)) + " " + name + ")";
      if (name == "BETWEEN")
        return "(" + to_sql(*e.args[0]) + " BETWEEN " + to_sql(*e.args[1]) + " AND " +
               to_sql(*e.args[2]) + ")";
      if (name == "IN")
        return "(" + to_sql(*e.args[0]) + " IN (" + arguments(e.args, 1) + "))";
      std::string out = name + "(" + (e.distinct ? "DISTINCT " : "") + arguments(e.args) + ")";
      if (e.filter)
        out += " FILTER (WHERE " + to_sql(*e.filter) + ")";
      if (e.over) {
        out += " OVER (";
        if (!e.over->partition_by.empty())
          out += "PARTITION BY " + arguments(e.over->partition_by);
        if (!e.over->order_by.empty()) {
          out += e.over->partition_by.empty() ? "ORDER BY " : " ORDER BY ";
          for (std::size_t i = 0; i < e.over->order_by.size(); ++i)
            out += (i ? ", " : "") + to_sql(*e.over->order_by[i].first) +
                   (e.over->order_by[i].second ? " DESC" : "");
        }
        if (const auto& frame = e.over->frame)
          out += std::string{frame->rows ? " ROWS" : " RANGE"} + " BETWEEN " +
                 (frame->preceding ? to_sql(*frame->preceding) : "UNBOUNDED") +
                 " PRECEDING AND CURRENT ROW";
        out += ")";
      }
      return out;
    }
  }
  return "?";
}

} // namespace flinkcpp::sql
