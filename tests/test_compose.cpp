// SPDX-License-Identifier: MIT
// Configs that build on each other: "$extends", load_files, the merge rules, where each issue
// is located, the root that bases are read from, and the origin of every value.
#include <hyperparams/compose.hpp>

#include "catch_compat.hpp"
#include "support.hpp"
#include "user/run_config.hpp"
#include "user/source_config.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <variant>
#include <vector>

using namespace hyperparams;
namespace fs = std::filesystem;
using hptest::TempDir;

namespace {

/// Writes `text` to `name` in `dir` and returns its path.
fs::path put(const TempDir& dir, const std::string& name, const std::string& text) {
  const fs::path path = dir.path() / name;
  hptest::write_file(path, text);
  return path;
}

/// The issues of loading `files` (empty when they load).
template <class T = HyperParams>
std::vector<Issue> issues_of(const std::vector<fs::path>& files,
                             const std::vector<std::string>& overrides = {},
                             const LoadOptions& options = {}) {
  try {
    (void)load_files<T>(files, overrides, options);
  } catch (const ConfigError& e) {
    return e.issues();
  }
  return {};
}

std::string lines(const std::vector<Issue>& issues) {
  std::string out;
  for (const auto& issue : issues) {
    out += format_issue(issue, "?") + "\n";
  }
  return out;
}

const ValueOrigin& origin_of(const Resolved<HyperParams>& r, const std::string& key) {
  for (const auto& v : r.origins) {
    if (v.key == key) {
      return v;
    }
  }
  FAIL("no value " << key);
  return r.origins.front();
}

} // namespace

namespace composeapp {

/// A map whose entries have a required key (a dataset needs its path).
struct Dataset {
  std::string path;
  double weight = 1.0;
};
constexpr auto describe(hyperparams::type<Dataset>) {
  return hyperparams::fields(field("path", &Dataset::path, "Where it is.").required(),
                             field("weight", &Dataset::weight, "Sampling weight.").ge(0));
}
struct Mix {
  std::map<std::string, Dataset> datasets;
  std::map<std::string, std::map<std::string, Dataset>> by_split;
};
constexpr auto describe(hyperparams::type<Mix>) {
  return hyperparams::fields(field("datasets", &Mix::datasets, "Datasets by name."),
                             field("by_split", &Mix::by_split, "Datasets by split and name."));
}

} // namespace composeapp

TEST_CASE("a file builds on its base: objects merge, scalars and lists replace", "[compose]") {
  TempDir dir;
  put(dir, "base.json", R"({
  "learning_rate": 0.01,
  "optimizer": {"name": "sgd", "momentum": 0.9},
  "layers": 3,
  "neurons": [64, 32, 16],
  "dropout": 0.2
})");
  const auto big = put(dir, "big.json", R"({
  "$extends": "base.json",
  "layers": 2,
  "neurons": [256, 128],
  "optimizer": {"nesterov": true}
})");
  const HyperParams hp = load_file(big);
  CHECK(hp.learning_rate == 0.01);
  CHECK(hp.layers == 2);
  CHECK(hp.layer_widths() == std::vector<std::int32_t>{256, 128});
  CHECK(hp.dropout == 0.2);
  REQUIRE(hp.optimizer_name() == Optimizer::sgd);
  const auto& sgd = std::get<SgdOptions>(hp.optimizer);
  CHECK(sgd.momentum == 0.9); // from the base
  CHECK(sgd.nesterov);        // from the variant
  CHECK(load_files({big}) == hp);
  // the result needs no other file
  CHECK(parse(dump(hp)) == hp);
}

TEST_CASE("another optimizer in a later file starts from its defaults, the same keeps options",
          "[compose][variant]") {
  TempDir dir;
  const auto base = put(dir, "base.json", R"({"optimizer": {"name": "sgd", "momentum": 0.5}})");
  const auto adam = put(dir, "adam.json", R"({"optimizer": "adam"})");
  const auto same = put(dir, "same.json", R"({"optimizer": {"name": "sgd", "dampening": 0.1}})");
  const auto bare = put(dir, "bare.json", R"({"optimizer": "sgd"})");
  const auto unnamed = put(dir, "unnamed.json", R"({"optimizer": {"weight_decay": 0.01}})");
  const auto back =
      put(dir, "back.json", R"({"$extends": ["base.json", "adam.json", "bare.json"]})");

  CHECK(load_files({base, adam}).optimizer_name() == Optimizer::adam);
  CHECK(std::get<AdamOptions>(load_files({base, adam}).optimizer) == AdamOptions{});
  const auto kept = std::get<SgdOptions>(load_files({base, same}).optimizer);
  CHECK(kept.momentum == 0.5);
  CHECK(kept.dampening == 0.1);
  CHECK(std::get<SgdOptions>(load_files({base, bare}).optimizer).momentum == 0.5);
  const auto patched = std::get<SgdOptions>(load_files({base, unnamed}).optimizer);
  CHECK(patched.momentum == 0.5);
  CHECK(patched.weight_decay == 0.01);
  // sgd, then adam, then sgd again: the base's momentum went with the switch to adam
  const auto r = resolve_files({back});
  CHECK(std::get<SgdOptions>(r.value.optimizer).momentum == SgdOptions{}.momentum);
  CHECK(origin_of(r, "optimizer.momentum").origin.kind == Origin::Kind::default_value);
  CHECK(origin_of(r, "optimizer.name").origin.file == (dir.path() / "bare.json").string());
  // an option of the old optimizer in the file that switches is an error there
  const auto wrong = put(dir, "wrong.json", R"({"optimizer": {"name": "adam", "momentum": 0.9}})");
  const auto issues = issues_of({base, wrong});
  INFO(lines(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].source == wrong.string());
  CHECK(issues[0].path == "/optimizer/momentum");
  CHECK(issues[0].code == IssueCode::unknown_key);
}

TEST_CASE("maps merge key by key at every depth, and a map only the defaults gave is replaced",
          "[compose][user]") {
  TempDir dir;
  put(dir, "base.json", R"({
  "name": "base",
  "losses": {"focal": {"weight": 0.5}, "kl": {"weight": 2}},
  "metric_weights": {"acc": 1},
  "model": {"blocks": [{"channels": 32}, {"channels": 64}], "head": [5, 6]},
  "train": {"optimizer": {"name": "adam", "beta1": 0.8}, "epochs": 3}
})");
  const auto top = put(dir, "top.json", R"({
  "$extends": "base.json",
  "losses": {"kl": {"label_smoothing": 0.1}, "ce": {}},
  "metric_weights": {"loss": 2},
  "model": {"blocks": [{"channels": 8}]},
  "train": {"optimizer": {"beta2": 0.9}, "layers": 4}
})");
  const auto run = load_file<testapp::Run>(top);
  CHECK(run.name == "base");
  // the base's losses replaced the default {"ce"}; the top merged into them
  REQUIRE(run.losses.size() == 3);
  CHECK(run.losses.at("focal").weight == 0.5);
  CHECK(run.losses.at("kl").weight == 2.0);           // kept from the base
  CHECK(run.losses.at("kl").label_smoothing == 0.1f); // added by the top
  CHECK(run.losses.at("ce").weight == testapp::Loss{}.weight);
  CHECK(run.metric_weights == std::map<std::string, double>{{"acc", 1.0}, {"loss", 2.0}});
  // a list replaces the list, whole
  REQUIRE(run.model.blocks.size() == 1);
  CHECK(run.model.blocks[0].channels == 8);
  CHECK(run.model.head == decltype(run.model.head){std::vector<std::int32_t>{5, 6}});
  const auto& adam = std::get<AdamOptions>(run.train.optimizer);
  CHECK(adam.beta1 == 0.8);
  CHECK(adam.beta2 == 0.9);
  CHECK(run.train.epochs == 3);
  CHECK(run.train.layers == 4);
}

TEST_CASE("files given together apply in order, each with its bases, each file once", "[compose]") {
  TempDir dir;
  put(dir, "d.json", R"({"epochs": 1, "batch_size": 8, "seed": 1})");
  put(dir, "b.json", R"({"$extends": "d.json", "epochs": 2})");
  put(dir, "c.json", R"({"$extends": "d.json", "batch_size": 16})");
  const auto a = put(dir, "a.json", R"({"$extends": ["b.json", "c.json"], "seed": 4})");
  // d, b, c, a: d applies once, before b, so c does not undo b's epochs
  const auto r = resolve_files({a});
  CHECK(r.value.epochs == 2);
  CHECK(r.value.batch_size == 16);
  CHECK(r.value.seed == 4u);
  CHECK(r.files == std::vector<std::string>{(dir.path() / "d.json").string(),
                                            (dir.path() / "b.json").string(),
                                            (dir.path() / "c.json").string(), a.string()});
  const auto later = put(dir, "later.json", R"({"epochs": 9})");
  CHECK(load_files({a, later}).epochs == 9);
  CHECK(load_files({later, a}).epochs == 2);
  // a file given applies where it is given, even when it applied before as a base
  const auto again = resolve_files({a, dir.path() / "d.json"});
  CHECK(again.value.epochs == 1);
  CHECK(again.value.seed == 1u);
  CHECK(again.files.size() == 5);
}

TEST_CASE("an issue is located in the file that supplied the value", "[compose][locations]") {
  TempDir dir;
  const auto base = put(dir, "base.json", "{\n  \"dropout\": 1.5,\n  \"layers\": 2\n}\n");
  const auto variant =
      put(dir, "variant.json", "{\n  \"$extends\": \"base.json\",\n  \"lerning_rate\": 0.1\n}\n");
  const auto issues = issues_of({variant});
  INFO(lines(issues));
  REQUIRE(issues.size() == 2); // in the order the files apply
  CHECK(issues[0].source == base.string());
  CHECK(issues[0].path == "/dropout");
  CHECK(issues[0].code == IssueCode::out_of_range);
  CHECK(issues[0].line == 2);
  CHECK(issues[0].column == 14);
  CHECK(issues[1].source == variant.string());
  CHECK(issues[1].path == "/lerning_rate");
  CHECK(issues[1].code == IssueCode::unknown_key);
  CHECK(issues[1].line == 3);
  CHECK(issues[1].column == 3);
  // what() names each file
  try {
    (void)load_file(variant);
    FAIL("loaded");
  } catch (const ConfigError& e) {
    CHECK(e.source() == variant.string());
    CHECK_THAT(std::string(e.what()), hptest::Contains(base.string() + ":2:14: error: /dropout"));
    CHECK_THAT(std::string(e.what()), hptest::Contains(variant.string() + ":3:3: error"));
  }
}

TEST_CASE("the rules between fields are checked on the result, at the value's file",
          "[compose][locations]") {
  TempDir dir;
  put(dir, "base.json", "{\"layers\": 2,\n \"neurons\": [1, 2, 3]}");
  // valid together: the variant gives the third layer
  CHECK(load_files({put(dir, "three.json", R"({"$extends": "base.json", "layers": 3})")}).layers ==
        3);
  const auto four = put(dir, "four.json", R"({"$extends": "base.json", "layers": 4})");
  const auto issues = issues_of({four});
  INFO(lines(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == IssueCode::inconsistent);
  CHECK(issues[0].path == "/neurons");
  CHECK(issues[0].source == (dir.path() / "base.json").string());
  CHECK(issues[0].line == 2);
  CHECK(issues[0].column == 13);
  // an override that makes it inconsistent is named
  const auto by_override = issues_of({dir.path() / "three.json"}, {"neurons=[1,2]"});
  INFO(lines(by_override));
  REQUIRE(by_override.size() == 1);
  CHECK(by_override[0].source == "<overrides>");
  CHECK_THAT(by_override[0].message, hptest::Contains("override 1 \"neurons=[1,2]\""));
}

TEST_CASE("a required key may come from any layer, and is reported once when none gives it",
          "[compose][user]") {
  TempDir dir;
  put(dir, "named.json", R"({"name": "from the base"})");
  const auto top = put(dir, "top.json", R"({"$extends": "named.json", "workers": 2})");
  CHECK(load_file<testapp::Run>(top).name == "from the base");
  put(dir, "nameless.json", R"({"workers": 1})");
  const auto missing = put(dir, "missing.json", "{\n \"$extends\": \"nameless.json\"}");
  const auto issues = issues_of<testapp::Run>({missing});
  INFO(lines(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == IssueCode::missing_key);
  CHECK(issues[0].path == "/name");
  CHECK(issues[0].source == missing.string());
  CHECK(issues[0].line == 1);
  // an override can give it
  CHECK(load_files<testapp::Run>({missing}, {"name=run"}).name == "run");
}

TEST_CASE("a required key of a map entry is checked on the result, in the file of the entry",
          "[compose][user]") {
  using composeapp::Mix;
  TempDir dir;
  put(dir, "base.json", R"({"datasets": {"mnist": {"path": "/data/mnist"}}})");
  // an entry added by the variant without its required key
  const auto added = put(dir, "added.json", R"({
  "$extends": "base.json",
  "datasets": {"fashion": {"weight": 2}}
})");
  auto issues = issues_of<Mix>({added});
  INFO(lines(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == IssueCode::missing_key);
  CHECK(issues[0].path == "/datasets/fashion/path");
  CHECK(issues[0].source == added.string());
  CHECK(issues[0].line == 3);

  // an entry the base left without it: reported in the base, even with nothing else above it
  const auto pathless = put(dir, "pathless.json", R"({"datasets": {"a~b/c": {"weight": 2}}})");
  const auto plain = put(dir, "plain.json", R"({"$extends": "pathless.json"})");
  issues = issues_of<Mix>({plain});
  INFO(lines(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "/datasets/a~0b~1c/path");
  CHECK(issues[0].source == pathless.string());
  // the same as one file read alone
  issues = issues_of<Mix>({pathless});
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "/datasets/a~0b~1c/path");

  // entries merge: a later file or an override may give the key
  const auto merged = put(dir, "merged.json", R"({
  "$extends": "pathless.json",
  "datasets": {"a~b/c": {"path": "/data/abc"}}
})");
  const Mix mix = load_file<Mix>(merged);
  CHECK(mix.datasets.at("a~b/c").path == "/data/abc");
  CHECK(mix.datasets.at("a~b/c").weight == 2);
  CHECK(load_files<Mix>({added}, {"datasets.fashion.path=/data/fashion"})
            .datasets.at("fashion")
            .path == "/data/fashion");

  // maps of maps: the inner entries are checked too
  const auto nested = put(dir, "nested.json", R"({
  "$extends": "base.json",
  "by_split": {"train": {"mnist": {"weight": 1}}}
})");
  issues = issues_of<Mix>({nested});
  INFO(lines(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "/by_split/train/mnist/path");
  CHECK(issues[0].source == nested.string());
}

TEST_CASE("a required option of a choice is checked on the result of the layers",
          "[compose][user]") {
  TempDir dir;
  put(dir, "url.json", R"({"source": {"name": "url", "url": "https://x"}})");
  // the same alternative again keeps its options; another starts from its defaults
  const auto retry =
      put(dir, "retry.json", R"({"$extends": "url.json", "source": {"retries": 3}})");
  CHECK(std::get<testapp::FromUrl>(load_file<testapp::Input>(retry).source).url == "https://x");
  const auto to_file = put(dir, "to_file.json", R"({"$extends": "url.json", "source": "file"})");
  auto issues = issues_of<testapp::Input>({to_file});
  INFO(lines(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == IssueCode::missing_key);
  CHECK(issues[0].path == "/source/path");
  CHECK(issues[0].source == to_file.string());
  // a later file gives the option a name alone lacks
  const auto named = put(dir, "named.json", R"({"source": "file"})");
  const auto given = put(dir, "given.json", R"({"$extends": "named.json",
    "source": {"path": "/data"}})");
  CHECK(std::get<testapp::FromFile>(load_file<testapp::Input>(given).source).path == "/data");
  // an override that names an alternative gives none of its options; an object does
  issues = issues_of<testapp::Input>({retry}, {"source=file"});
  INFO(lines(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "/source/path");
  CHECK(issues[0].source == "<overrides>");
  CHECK(issues_of<testapp::Input>({retry}, {"source=file", "source.path=/data"}).empty());
  CHECK(issues_of<testapp::Input>({retry}, {R"(source={"name": "file", "path": "/d"})"}).empty());
}

TEST_CASE("cycles, missing files and chains past the limit are located issues naming the files",
          "[compose][errors]") {
  TempDir dir;
  const auto self = put(dir, "self.json", R"({"$extends": "self.json"})");
  auto issues = issues_of({self});
  INFO(lines(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "/$extends");
  CHECK_THAT(issues[0].message, hptest::Contains("cycle"));

  put(dir, "a.json", R"({"$extends": "b.json"})");
  put(dir, "b.json", "{\n\"$extends\": [\"a.json\"]}");
  issues = issues_of({dir.path() / "a.json"});
  INFO(lines(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].source == (dir.path() / "b.json").string());
  CHECK(issues[0].path == "/$extends/0");
  CHECK(issues[0].line == 2);
  const std::string a = (dir.path() / "a.json").string();
  const std::string b = (dir.path() / "b.json").string();
  CHECK_THAT(issues[0].message, hptest::Contains(a + " -> " + b + " -> " + a));

  const auto missing = put(dir, "missing.json", R"({"$extends": ["nowhere.json", 7, ""]})");
  issues = issues_of({missing});
  INFO(lines(issues));
  REQUIRE(issues.size() == 3);
  CHECK(hptest::has_issue(issues, "/$extends/0", IssueCode::io_error));
  CHECK(hptest::has_issue(issues, "/$extends/1", IssueCode::type_error));
  CHECK(hptest::has_issue(issues, "/$extends/2", IssueCode::type_error));

  const auto object = put(dir, "object.json", R"({"$extends": {"file": "a.json"}})");
  CHECK(hptest::has_issue(issues_of({object}), "/$extends", IssueCode::type_error));
  const auto twice = put(dir, "twice.json", R"({"$extends": "d.json", "$extends": "d.json"})");
  CHECK(hptest::has_issue(issues_of({twice}), "/$extends", IssueCode::duplicate_key));

  for (int i = 0; i < 20; ++i) {
    put(dir, "chain" + std::to_string(i) + ".json",
        i == 19 ? R"({"epochs": 7})"
                : R"({"$extends": "chain)" + std::to_string(i + 1) + R"(.json"})");
  }
  CHECK(load_files({dir.path() / "chain4.json"}).epochs == 7); // 16 deep: at the limit
  issues = issues_of({dir.path() / "chain0.json"});
  INFO(lines(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == IssueCode::limit_exceeded);
  CHECK_THAT(issues[0].message, hptest::Contains("chain15.json -> "));
  LoadOptions deeper;
  deeper.max_extends_depth = 20;
  CHECK(load_files({dir.path() / "chain0.json"}, {}, deeper).epochs == 7);
  LoadOptions few;
  few.max_files = 3;
  CHECK(hptest::has_issue(issues_of({dir.path() / "chain10.json"}, {}, few), "/$extends",
                          IssueCode::limit_exceeded));
}

TEST_CASE("bases are read only inside the root, and nothing of a file outside is read",
          "[compose][root]") {
  TempDir dir;
  put(dir, "common/base.json", R"({"epochs": 5})");
  put(dir, "secret.json", R"({"epochs": 666})");
  const auto up = put(dir, "configs/up.json", R"({"$extends": "../common/base.json"})");
  const auto secret = put(dir, "configs/secret.json", R"({"$extends": "../secret.json"})");
  const auto absolute = put(dir, "configs/abs.json", R"({"$extends": "/etc/passwd"})");
  auto issues = issues_of({up});
  INFO(lines(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].code == IssueCode::invalid_value);
  CHECK_THAT(issues[0].message, hptest::Contains("outside"));
  issues = issues_of({absolute});
  REQUIRE(issues.size() == 1);
  CHECK_THAT(issues[0].message, hptest::Contains("outside"));
  CHECK_THAT(issues[0].message, !hptest::Contains("root:"));
  // LoadOptions::root widens it
  LoadOptions wide;
  wide.root = dir.path();
  CHECK(load_files({up}, {}, wide).epochs == 5);
  CHECK(load_file(up, wide).epochs == 5);
  CHECK(load_files({secret}, {}, wide).epochs == 666);
  CHECK_FALSE(issues_of({absolute}, {}, wide).empty());
  // and narrows it: the top file's own directory is outside
  LoadOptions narrow;
  narrow.root = dir.path() / "common";
  CHECK_FALSE(
      issues_of({put(dir, "configs/near.json", R"({"$extends": "up.json"})")}, {}, narrow).empty());
#if defined(__unix__) || defined(__APPLE__)
  // a symbolic link inside the root that points outside it is outside
  fs::create_symlink(dir.path() / "secret.json", dir.path() / "configs/link.json");
  const auto linked = put(dir, "configs/linked.json", R"({"$extends": "link.json"})");
  issues = issues_of({linked});
  INFO(lines(issues));
  REQUIRE(issues.size() == 1);
  CHECK_THAT(issues[0].message, hptest::Contains("outside"));
  CHECK_THAT(issues[0].message, !hptest::Contains("666"));
  // one that points inside is followed
  fs::create_symlink(dir.path() / "configs/up.json", dir.path() / "configs/inside.json");
  CHECK(load_files({put(dir, "configs/in.json", R"({"$extends": "inside.json", "seed": 3})")}, {},
                   wide)
            .epochs == 5);
#endif
}

TEST_CASE("a text from memory builds on files only with a root", "[compose][root]") {
  TempDir dir;
  put(dir, "base.json", R"({"epochs": 4})");
  const std::string text = R"({"$extends": "base.json", "seed": 9})";
  const auto issues = hptest::issues_of(text);
  INFO(hptest::render(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "/$extends");
  CHECK(issues[0].line == 1);
  CHECK(issues[0].column == 14);
  CHECK_THAT(issues[0].message, hptest::Contains("no directory"));
  LoadOptions rooted;
  rooted.root = dir.path();
  const HyperParams hp = parse(text, "<test>", rooted);
  CHECK(hp.epochs == 4);
  CHECK(hp.seed == 9u);
  // a DOM and an override have no files: "$extends" is an unknown key there
  CHECK_THROWS_AS(nlohmann::json::parse(text).get<HyperParams>(), ConfigError);
  CHECK_THROWS_AS(apply_overrides(HyperParams{}, {"$extends=base.json"}), ConfigError);
}

TEST_CASE("the origin of every value: its file, line and column, an override, or its default",
          "[compose][origin]") {
  TempDir dir;
  put(dir, "base.json", "{\n  \"learning_rate\": 0.01,\n  \"optimizer\": \"sgd\"\n}\n");
  const auto top = put(dir, "top.json", "{\"$extends\": \"base.json\", \"layers\": 2}");
  const auto r = resolve_files({top}, {"epochs=3", "optimizer.momentum=0.5"});
  const std::string base = (dir.path() / "base.json").string();
  const auto& lr = origin_of(r, "learning_rate");
  CHECK(lr.pointer == "/learning_rate");
  CHECK(lr.value == "0.01");
  CHECK(lr.origin.kind == Origin::Kind::file);
  CHECK(lr.origin.file == base);
  CHECK(lr.origin.line == 2);
  CHECK(lr.origin.column == 20);
  CHECK(to_string(lr.origin) == base + ":2:20");
  CHECK(to_string(origin_of(r, "optimizer.name").origin) == base + ":3:16");
  CHECK(to_string(origin_of(r, "layers").origin) == top.string() + ":1:37");
  const auto& epochs = origin_of(r, "epochs");
  CHECK(epochs.origin.kind == Origin::Kind::override_value);
  CHECK(epochs.origin.override_position == 1);
  CHECK(to_string(epochs.origin) == "override 1 (epochs=3)");
  CHECK(to_string(origin_of(r, "optimizer.momentum").origin) ==
        "override 2 (optimizer.momentum=0.5)");
  CHECK(to_string(origin_of(r, "batch_size").origin) == "default");
  // every value of the canonical config, in its order
  std::string keys;
  for (const auto& v : r.origins) {
    keys += v.key + " ";
  }
  CHECK(keys == "learning_rate batch_size epochs optimizer.name optimizer.momentum "
                "optimizer.dampening optimizer.nesterov optimizer.weight_decay lr_schedule.name "
                "lr_schedule.warmup_epochs layers neurons dropout activation seed ");
  const std::string table = format_origins(r.origins);
  CHECK_THAT(table, hptest::Contains("learning_rate = 0.01"));
  CHECK_THAT(table, hptest::Contains(base + ":2:20\n"));
}

TEST_CASE("a config file with a pointer builds on whole files", "[compose]") {
  TempDir dir;
  put(dir, "base.json", R"({"epochs": 6})");
  const auto doc =
      put(dir, "doc.json", R"({"train": {"$extends": "base.json", "seed": 2}, "other": 1})");
  LoadOptions at;
  at.pointer = "/train";
  const HyperParams hp = load_file(doc, at);
  CHECK(hp.epochs == 6);
  CHECK(hp.seed == 2u);
  const auto bad = put(dir, "bad.json", R"({"train": {"$extends": "base.json", "sed": 2}})");
  const auto issues = issues_of({bad}, {}, at);
  INFO(lines(issues));
  REQUIRE(issues.size() == 1);
  CHECK(issues[0].path == "/train/sed");
}
