#include "command_line_check.hpp"

#include "io/did_you_mean.hpp"

#include <cctype>
#include <string_view>

namespace bmil::cli {
namespace {

// "-1", "-0.5", "-1e3": a value, not an option.
bool IsNumber(std::string_view token) {
  if (token.size() < 2 || token[0] != '-') return false;
  return std::isdigit(static_cast<unsigned char>(token[1])) || token[1] == '.';
}

const CLI::App* FindCommand(const CLI::App& app, const std::string& name) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->check_name(name)) return sub;
  }
  return nullptr;
}

std::vector<std::string> CommandNames(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (!sub->get_name().empty()) names.push_back(sub->get_name());
  }
  return names;
}

std::string Joined(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The command's path from the top, "plugins check"; "" for the top.
std::string PathOf(const CLI::App* app) {
  std::string path;
  for (; app != nullptr && app->get_parent() != nullptr; app = app->get_parent()) {
    path = app->get_name() + (path.empty() ? "" : " " + path);
  }
  return path;
}

// Every option name ("--format", "-o") of `app` and its parents, for a did-you-mean.
std::vector<std::string> OptionNames(const CLI::App* app) {
  std::vector<std::string> names;
  for (; app != nullptr; app = app->get_parent()) {
    for (const CLI::Option* opt : app->get_options([](const CLI::Option*) { return true; })) {
      for (const std::string& l : opt->get_lnames()) names.push_back("--" + l);
      for (const std::string& s : opt->get_snames()) names.push_back("-" + s);
    }
  }
  return names;
}

const CLI::Option* FindOption(const CLI::App* app, const std::string& name) {
  for (; app != nullptr; app = app->get_parent()) {
    if (const CLI::Option* opt = app->get_option_no_throw(name)) return opt;
  }
  return nullptr;
}

// Flags expect no value (CLI11 gives them a type size of 1 all the same).
bool TakesValue(const CLI::Option& opt) { return opt.get_items_expected_max() > 0; }

}  // namespace

std::optional<std::string> CheckCommandLine(const CLI::App& app,
                                            const std::vector<std::string>& args) {
  const CLI::App* current = &app;
  bool asks_help = false;  // --help, --version: CLI11 answers them, whatever else is missing
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& token = args[i];
    if (token == "--") return std::nullopt;  // the rest are positionals
    asks_help = asks_help || token == "-h" || token == "--help" || token == "--help-all" ||
                token == "--version";
    if (token.size() > 1 && token[0] == '-' && !IsNumber(token)) {
      const bool long_form = token.starts_with("--");
      const std::size_t equals = token.find('=');
      // "--name=value", "-o" (a short flag's cluster "-vv" is checked by its first letter).
      const std::string name = long_form ? token.substr(0, equals) : token.substr(0, 2);
      const CLI::Option* opt = FindOption(current, name);
      if (opt == nullptr) {
        const std::string where = PathOf(current);
        return (where.empty() ? "" : where + ": ") + "unknown option '" + name + "'" +
               DidYouMean(name, OptionNames(current)) + "; see 'bmil " +
               (where.empty() ? "" : where + " ") + "--help'";
      }
      const bool inline_value = long_form ? equals != std::string::npos : token.size() > 2;
      if (TakesValue(*opt) && !inline_value) ++i;  // its value, whatever it looks like
      continue;
    }
    // A positional: a command while the current one has commands and no positionals of its
    // own, else an argument of the current command.
    const std::vector<std::string> commands = CommandNames(*current);
    if (commands.empty()) continue;
    if (const CLI::App* sub = FindCommand(*current, token)) {
      current = sub;
      continue;
    }
    const bool has_positionals =
        !current->get_options([](const CLI::Option* o) { return o->get_positional(); }).empty();
    if (has_positionals) continue;
    const std::string where = PathOf(current);
    return "unknown command '" + (where.empty() ? "" : where + " ") + token + "'" +
           DidYouMean(token, commands) + "; the commands" +
           (where.empty() ? "" : " of '" + where + "'") + " are: " + Joined(commands);
  }
  if (!asks_help && current->get_require_subcommand_min() > 0) {
    const std::string where = PathOf(current);
    return (where.empty() ? "" : where + ": ") + std::string("a command is required; ") +
           "the commands" + (where.empty() ? "" : " of '" + where + "'") +
           " are: " + Joined(CommandNames(*current)) + "; see 'bmil " +
           (where.empty() ? "" : where + " ") + "--help'";
  }
  return std::nullopt;
}

std::string CommandPath(const CLI::App& app) {
  const CLI::App* deepest = &app;
  for (;;) {
    const std::vector<CLI::App*> parsed = deepest->get_subcommands();
    if (parsed.empty()) break;
    deepest = parsed.front();
  }
  return PathOf(deepest);
}

}  // namespace bmil::cli
