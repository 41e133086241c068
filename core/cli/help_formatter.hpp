// `--help` for an 80-column terminal: CLI11's formatter writes each description on one line
// however long it is; this one breaks descriptions, the app's description and the footer
// at spaces so that no line of `bmil ... --help` is wider than 80 columns.
#ifndef BMIL_CORE_CLI_HELP_FORMATTER_HPP_
#define BMIL_CORE_CLI_HELP_FORMATTER_HPP_

#include <CLI/CLI.hpp>

#include <sstream>
#include <string>
#include <string_view>

namespace bmil::cli {

class HelpFormatter : public CLI::Formatter {
 public:
  static constexpr std::size_t kWidth = 80;

  // `text` broken at spaces into lines of at most `width` columns (a longer word stays
  // whole), joined by '\n'; existing line breaks are kept. Columns are counted as UTF-8
  // code points.
  static std::string Wrap(std::string_view text, std::size_t width) {
    std::string out;
    std::size_t start = 0;
    while (start <= text.size()) {
      const std::size_t end = std::min(text.find('\n', start), text.size());
      std::string_view line = text.substr(start, end - start);
      std::size_t columns = 0;
      bool first = true;
      std::size_t i = 0;
      while (i < line.size()) {
        const std::size_t space = std::min(line.find(' ', i), line.size());
        const std::string_view word = line.substr(i, space - i);
        const std::size_t word_columns = Columns(word);
        if (!first && columns + 1 + word_columns > width) {
          out += '\n';
          columns = 0;
          first = true;
        }
        if (!first) {
          out += ' ';
          ++columns;
        }
        out += word;
        columns += word_columns;
        first = false;
        i = space + 1;
      }
      if (end >= text.size()) break;
      out += '\n';
      start = end + 1;
    }
    return out;
  }

  std::string make_option_desc(const CLI::Option* opt) const override {
    return Wrap(CLI::Formatter::make_option_desc(opt), Room());
  }
  std::string make_subcommand(const CLI::App* sub) const override {
    std::stringstream out;
    CLI::detail::format_help(out, sub->get_display_name(true), Wrap(sub->get_description(), Room()),
                             column_width_);
    return out.str();
  }
  std::string make_description(const CLI::App* app) const override {
    return Wrap(CLI::Formatter::make_description(app), kWidth);
  }
  // A command's help lists bmil's global options too (they work before or after the
  // command), before the footer.
  std::string make_footer(const CLI::App* app) const override {
    std::string globals;
    if (app->get_parent() != nullptr) {
      const CLI::App* root = app;
      while (root->get_parent() != nullptr) root = root->get_parent();
      for (const CLI::Option* opt : root->get_options([](const CLI::Option*) { return true; })) {
        if (opt == root->get_help_ptr() || opt == root->get_help_all_ptr() ||
            opt->check_name("--version")) {
          continue;
        }
        globals += make_option(opt, false);
      }
      if (!globals.empty()) globals = "Global options (before or after the command):\n" + globals;
    }
    const std::string footer = Wrap(CLI::Formatter::make_footer(app), kWidth);
    return globals + (footer.empty() ? "" : "\n" + footer);
  }

 private:
  // The columns left for a description after the name column.
  std::size_t Room() const { return kWidth > column_width_ + 20 ? kWidth - column_width_ : 20; }
  static std::size_t Columns(std::string_view s) {
    std::size_t n = 0;
    for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
  }
};

}  // namespace bmil::cli

#endif  // BMIL_CORE_CLI_HELP_FORMATTER_HPP_
