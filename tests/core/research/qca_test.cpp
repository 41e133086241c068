// QCA export (core/src/research/qca.hpp, business_measures.hpp): calibration at its anchors
// and in both directions, the parse errors, each measure on a case built by hand, and a
// truth table whose consistency, PRI and coverage are worked out by hand.
#include "research/qca.hpp"
#include "research/business_measures.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace bmil::research {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Calibration Parse(const std::string& spec) {
  Result<Calibration> c = ParseCalibration(spec);
  EXPECT_TRUE(c.ok()) << spec << ": " << (c.ok() ? "" : c.error());
  return c.ok() ? std::move(c).value() : Calibration{};
}

std::string ParseError(const std::string& spec) {
  Result<Calibration> c = ParseCalibration(spec);
  EXPECT_FALSE(c.ok()) << spec;
  return c.ok() ? "" : c.error();
}

TEST(Calibration, FuzzyAnchorsGiveExactlyFivePercentHalfAndNinetyFive) {
  const Calibration up = Parse("lines_used=2/4/7");
  EXPECT_EQ(up.kind, Calibration::Kind::kFuzzy);
  EXPECT_NEAR(Calibrate(up, 2), 0.05, 1e-15);
  EXPECT_EQ(Calibrate(up, 4), 0.5);
  EXPECT_NEAR(Calibrate(up, 7), 0.95, 1e-15);
  // Each side has its own scale: 1 below the crossover is ln(19)/2 log-odds, 1 above it
  // ln(19)/3.
  EXPECT_NEAR(Calibrate(up, 3), 1 / (1 + std::exp(std::log(19.0) / 2)), 1e-15);
  EXPECT_NEAR(Calibrate(up, 5), 1 / (1 + std::exp(-std::log(19.0) / 3)), 1e-15);
  // Less is more: 7 is out, 2 is in.
  const Calibration down = Parse("lines_used=7/4/2");
  EXPECT_NEAR(Calibrate(down, 7), 0.05, 1e-15);
  EXPECT_NEAR(Calibrate(down, 2), 0.95, 1e-15);
  EXPECT_NEAR(Calibrate(down, 3) + Calibrate(up, 3), 1.0, 1e-15);
  EXPECT_EQ(up.column, "lines_used");
}

TEST(Calibration, CrispComparisons) {
  EXPECT_EQ(Calibrate(Parse("tasks>=4"), 4), 1);
  EXPECT_EQ(Calibrate(Parse("tasks>4"), 4), 0);
  EXPECT_EQ(Calibrate(Parse("tasks <= 4"), 4), 1);
  EXPECT_EQ(Calibrate(Parse("tasks<4"), 4), 0);
  EXPECT_EQ(Parse("attributes.export_share>=0.5").column, "attributes_export_share");
}

TEST(Calibration, ProblemsAreNamed) {
  EXPECT_THAT(ParseError("lines_usd>=4"), HasSubstr("did you mean \"lines_used\""));
  EXPECT_THAT(ParseError("tasks>=four"), HasSubstr("expected a number after >="));
  EXPECT_THAT(ParseError("tasks=1/2"), HasSubstr("found 2"));
  EXPECT_THAT(ParseError("tasks=1/5/3"), HasSubstr("strictly between"));
  EXPECT_THAT(ParseError(">=3"), HasSubstr("a measure name is needed"));
  EXPECT_THAT(ParseError("attributes.>=3"), HasSubstr("unknown measure"));
}

BmiTask Task(std::vector<std::string> lines, std::vector<std::string> blocks, Stance stance) {
  BmiTask t;
  t.id = "t";
  t.business_model = "m";
  t.leadership_lines = std::move(lines);
  t.building_blocks = std::move(blocks);
  t.stance = stance;
  return t;
}

double Measure(const Case& c, const std::string& id) {
  std::string why;
  const std::optional<double> v = MeasureValue(c, id, why);
  EXPECT_TRUE(v) << id << ": " << why;
  return v.value_or(-1);
}

TEST(BusinessMeasures, EachOnACaseWorkedByHand) {
  Case c;
  c.business.id = "b";
  BusinessModel live, retired;
  live.id = "m";
  live.state = State::kToBe;
  live.value_formula = {100.0, 60.0, "DKK", std::nullopt, std::nullopt};
  live.industries = {{"water", IndustryStatus::kHome},
                     {"smoke", IndustryStatus::kSucceeded},
                     {"carwash", IndustryStatus::kFailed}};
  retired.id = "old";
  retired.state = State::kAsIs;
  retired.stage = Stage::kRetired;
  retired.value_formula = {50.0, 80.0, "EUR", std::nullopt, std::nullopt};  // not counted
  c.business_models = {live, retired};
  // Cells: (value, value_proposition), (value, network), (customer, customers),
  // (customer, customers) again: 4 mentions, 3 distinct, 2 in the classic corner.
  c.bmi_tasks = {Task({"value"}, {"value_proposition", "network"}, Stance::kProactive),
                 Task({"customer"}, {"customers"}, Stance::kReactive),
                 Task({"customer"}, {"customers"}, Stance::kUnstated)};
  c.business.attributes = {{"exporter", true}, {"export_share", 0.25}, {"note", "x"}};
  EXPECT_EQ(Measure(c, "models"), 1);
  EXPECT_EQ(Measure(c, "models_to_be"), 1);
  EXPECT_EQ(Measure(c, "tasks"), 3);
  EXPECT_EQ(Measure(c, "lines_used"), 2);
  EXPECT_EQ(Measure(c, "blocks_used"), 3);
  EXPECT_EQ(Measure(c, "cells_used"), 3);
  EXPECT_EQ(Measure(c, "classic_share"), 3.0 / 4.0);
  EXPECT_EQ(Measure(c, "proactive_share"), 0.5);  // 1 of the 2 stating a stance
  EXPECT_EQ(Measure(c, "industries_entered"), 1);
  EXPECT_EQ(Measure(c, "industries_tried"), 2);
  EXPECT_EQ(Measure(c, "revenue"), 100);
  EXPECT_EQ(Measure(c, "profit"), 40);
  EXPECT_EQ(Measure(c, "attributes.exporter"), 1);
  EXPECT_EQ(Measure(c, "attributes.export_share"), 0.25);
  std::string why;
  EXPECT_FALSE(MeasureValue(c, "explicit_strategy", why));
  EXPECT_THAT(why, HasSubstr("does not state whether it is explicit"));
  EXPECT_FALSE(MeasureValue(c, "outside_in_share", why));
  EXPECT_THAT(why, HasSubstr("no task states its perspective"));
  EXPECT_FALSE(MeasureValue(c, "attributes.note", why));
  EXPECT_THAT(why, HasSubstr("not a number"));
  EXPECT_FALSE(MeasureValue(c, "attributes.absent", why));
  // Two currencies among live models: no sum.
  c.business_models[1].stage = Stage::kMarket;
  EXPECT_FALSE(MeasureValue(c, "revenue", why));
  EXPECT_THAT(why, HasSubstr("more than one currency"));
}

// A case whose business.attributes hold `a`, `b` and `y`.
Case WithAttributes(const std::string& id, double a, double b, double y) {
  Case c;
  c.business.id = id;
  c.business.attributes = {{"a", a}, {"b", b}, {"y", y}};
  return c;
}

TEST(Qca, TruthTableByHand) {
  // Memberships taken as is, so the arithmetic is by hand:
  //   p: A 0.9, B 0.2, Y 0.8     q: A 0.7, B 0.4, Y 0.3
  //   r: A 0.1, B 0.8, Y 0.6     s: A 0.6, B 0.1, Y 1.0
  const std::vector<Case> cases = {
      WithAttributes("p", 0.9, 0.2, 0.8), WithAttributes("q", 0.7, 0.4, 0.3),
      WithAttributes("r", 0.1, 0.8, 0.6), WithAttributes("s", 0.6, 0.1, 1.0)};
  Result<QcaTable> t =
      BuildQca(cases, {Parse("attributes.a"), Parse("attributes.b")}, Parse("attributes.y"), 0.8);
  ASSERT_TRUE(t.ok()) << t.error();
  // Rows: A~B (1,0): p, q, s; ~AB (0,1): r. Two of four configurations are remainders.
  ASSERT_EQ(t->truth_table.size(), 2u);
  EXPECT_EQ(t->remainders, 2u);
  const TruthRow& a_not_b = t->truth_table[1];  // binary order: (0,1) then (1,0)
  EXPECT_THAT(a_not_b.configuration, ElementsAre(1, 0));
  EXPECT_THAT(a_not_b.cases, ElementsAre("p", "q", "s"));
  // X = min(A, 1 - B): p 0.8, q 0.6, r 0.1, s 0.6; sum X = 2.1.
  // min(X, Y): p 0.8, q 0.3, r 0.1, s 0.6; sum = 1.8. sum Y = 2.7.
  // min(X, Y, 1 - Y): p 0.2, q 0.3, r 0.1, s 0; sum = 0.6.
  EXPECT_NEAR(*a_not_b.consistency, 1.8 / 2.1, 1e-12);
  EXPECT_NEAR(*a_not_b.coverage, 1.8 / 2.7, 1e-12);
  EXPECT_NEAR(*a_not_b.pri, (1.8 - 0.6) / (2.1 - 0.6), 1e-12);
  EXPECT_EQ(a_not_b.outcome, 1);  // 0.857 >= 0.8
  // ~AB: X = min(1 - A, B): p 0.1, q 0.3, r 0.8, s 0.1; sum 1.3. min(X, Y): 0.1, 0.3, 0.6,
  // 0.1 = 1.1.
  const TruthRow& not_a_b = t->truth_table[0];
  EXPECT_NEAR(*not_a_b.consistency, 1.1 / 1.3, 1e-12);
  EXPECT_EQ(not_a_b.outcome, 1);
  EXPECT_EQ(QcaCsv(*t),
            "case,attributes_a,attributes_b,attributes_y\n"
            "p,0.9,0.2,0.8\nq,0.7,0.4,0.3\nr,0.1,0.8,0.6\ns,0.6,0.1,1\n");
}

TEST(Qca, MissingMeasuresLeaveTheCaseOutAndSaySo) {
  Case bare;
  bare.business.id = "bare";
  const std::vector<Case> cases = {WithAttributes("p", 0.9, 0.2, 0.8), bare,
                                   WithAttributes("half", 0.5, 0.2, 1)};
  Result<QcaTable> t =
      BuildQca(cases, {Parse("attributes.a"), Parse("attributes.b")}, Parse("attributes.y"), 0.8);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->left_out.size(), 1u);
  EXPECT_EQ(t->left_out[0].id, "bare");
  EXPECT_THAT(t->left_out[0].why, HasSubstr("business.attributes has no \"a\""));
  EXPECT_THAT(t->ambiguous, ElementsAre("half"));
  EXPECT_EQ(t->cases.size(), 2u);  // "half" is in the CSV, in no truth-table row
  const std::string text = TruthTableText(*t, false);
  EXPECT_THAT(text, HasSubstr("Left out: bare"));
  EXPECT_THAT(text, HasSubstr("At exactly 0.5 in a condition, so in no row: half."));
}

TEST(Qca, AMeasureTakenAsIsMustBeAMembership) {
  Result<QcaTable> t = BuildQca({WithAttributes("p", 3, 0.2, 0.8)}, {Parse("attributes.a")},
                                Parse("attributes.y"), 0.8);
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.error(), HasSubstr("attributes.a is 3 for p"));
  EXPECT_THAT(t.error(), HasSubstr("calibrate it"));
}

}  // namespace
}  // namespace bmil::research
