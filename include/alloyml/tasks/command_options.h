#pragma once
// Options a pipeline adds to a command line, declared without CLI11 (the library never includes
// it): alloyml-predict's task options (gfa's --formula) and the pipelines' alloyml-augment
// subcommands. apps/ turns each OptionSpec into a CLI11 option with its validator and default.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace alloyml::tasks {

struct CommonFlags;

/// One option, declared fluently: OptionSpec("--size", "image side (px)").integer(64).range(16, 4096).
struct OptionSpec {
  enum class Kind { Text, Integer, Number, Flag };
  enum class Exists { Any, File, Directory, Path };

  OptionSpec(std::string names_, std::string help_) : names(std::move(names_)), help(std::move(help_)) {}
  OptionSpec& text(std::string default_text = "");
  OptionSpec& integer(long default_integer);
  OptionSpec& number(double default_number);
  OptionSpec& flag();
  OptionSpec& required();
  OptionSpec& repeatable();
  OptionSpec& existing_file();
  OptionSpec& existing_directory();
  OptionSpec& existing_path();
  OptionSpec& one_of(std::vector<std::string> allowed);
  OptionSpec& range(std::optional<double> lowest, std::optional<double> highest);
  OptionSpec& positive();
  /// Only with --run (a trained run of the declaring task), not with a bare weight file.
  OptionSpec& run_only();
  /// Only with --weights (a bare weight file), not with --run.
  OptionSpec& weights_only();

  std::string names;          ///< CLI11 style: "--output,-o"; a name without dashes is positional
  std::string help;
  Kind kind = Kind::Text;
  std::string default_value;  ///< shown by --help and used when the option is absent; "" = none
  bool is_required = false;
  bool is_repeatable = false; ///< may be given several times (values kept in order)
  Exists exists = Exists::Any;
  std::vector<std::string> choices;  ///< the value must be one of these
  std::optional<double> min, max;    ///< numbers: the accepted range
  bool is_positive = false;          ///< numbers: above zero
  bool is_run_only = false;          ///< alloyml-predict: needs --run
  bool is_weights_only = false;      ///< alloyml-predict: needs --weights
};

/// Values of parsed options by long name without dashes ("--per-class,-n" -> "per-class"): what
/// the user gave, else the option's default.
class OptionValues {
 public:
  /// Records what the user gave.
  void set(const std::string& name, std::vector<std::string> values) { given_[name] = std::move(values); }
  /// Records an option's default (used when the user gave nothing).
  void set_default(const std::string& name, std::string value) { defaults_[name] = std::move(value); }
  /// The user gave the option.
  bool has(const std::string& name) const { return given_.count(name) > 0; }
  /// Names of the options the user gave.
  std::vector<std::string> given() const;
  std::string text(const std::string& name) const;
  long integer(const std::string& name) const;
  double number(const std::string& name) const;
  bool flag(const std::string& name) const;
  /// Every value given (repeatable options), else none.
  std::vector<std::string> list(const std::string& name) const;

 private:
  std::map<std::string, std::vector<std::string>> given_;
  std::map<std::string, std::string> defaults_;
};

/// The long name of an option ("--per-class,-n" -> "per-class"; "formula" -> "formula").
std::string option_name(const std::string& names);

/// An alloyml-augment subcommand a pipeline brings.
struct CommandSpec {
  std::string name;
  std::string help;
  std::vector<OptionSpec> options;
  std::function<int(const OptionValues&, const CommonFlags&)> run;
};

}  // namespace alloyml::tasks
