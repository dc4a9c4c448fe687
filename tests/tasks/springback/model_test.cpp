// The springback model file and the dynamic straightness judgement.
#include <gtest/gtest.h>

#include "alloyml/core/error.h"
#include "alloyml/tasks/springback/model.h"

using namespace alloyml;
using tasks::judge_straightness;

TEST(Straightness, ShiftedAcceptanceIntervalByHand) {
  // Right after unloading the shaft is 0.06 mm over-straightened; 0.10 mm of springback will
  // bring it to +0.04, inside +-0.05: accept, although the static check would reject it.
  auto v = judge_straightness(-0.06, 0.05, 0.10);
  EXPECT_NEAR(v.final_deflection, 0.04, 1e-12);
  EXPECT_NEAR(v.accept_low, -0.15, 1e-12);
  EXPECT_NEAR(v.accept_high, -0.05, 1e-12);
  EXPECT_TRUE(v.accept);
  // Within tolerance now, 0.10 after saturation: reject, although the static check accepts.
  v = judge_straightness(0.03, 0.05, 0.07);
  EXPECT_FALSE(v.accept);
  EXPECT_NEAR(v.final_deflection, 0.10, 1e-12);
  // On the interval's edge: accept.
  EXPECT_TRUE(judge_straightness(-0.05, 0.05, 0.10).accept);
}

TEST(Straightness, CountsBothKindsOfMisjudgement) {
  tasks::MisjudgementCounts c;
  c.add(0.03, 0.05, 0.07, 0.10);    // static false accept; the prediction rejects it: right
  c.add(-0.06, 0.05, 0.10, 0.04);   // static false reject; the prediction accepts it: right
  c.add(0.00, 0.05, 0.02, 0.06);    // truly out, but predicted 0.02 -> final 0.02: dynamic false accept
  c.add(-0.12, 0.05, 0.02, -0.04);  // truly within, predicted final -0.10: dynamic false reject
  EXPECT_EQ(c.n, 4);
  EXPECT_EQ(c.false_accept_static, 2);
  EXPECT_EQ(c.false_reject_static, 2);
  EXPECT_EQ(c.false_accept_dynamic, 1);
  EXPECT_EQ(c.false_reject_dynamic, 1);
}

TEST(SpringbackModel, JsonRoundTripPredictsTheSame) {
  tasks::SpringbackModel m;
  m.arch = "gabp";
  m.features = {"a", "b"};
  m.target = "y";
  m.scaler.x_min = {0, 10};
  m.scaler.x_max = {1, 20};
  m.scaler.y_min = 0.1;
  m.scaler.y_max = 0.3;
  for (std::uint64_t seed : {1, 2}) {
    classical::Mlp net(2, 3);
    net.init_random(seed);
    m.nets.push_back(net);
  }
  m.chosen = 1;
  const auto back = tasks::SpringbackModel::from_json(m.to_json(), "model.json");
  const double x[] = {0.4, 12.0};
  EXPECT_DOUBLE_EQ(back.predict(x), m.predict(x));
  EXPECT_DOUBLE_EQ(back.predict(x), m.predict_with(1, x));
  m.ensemble = true;
  EXPECT_NEAR(m.predict(x), 0.5 * (m.predict_with(0, x) + m.predict_with(1, x)), 1e-15);

  auto broken = m.to_json();
  broken["networks"][0].erase(0);
  try {
    tasks::SpringbackModel::from_json(broken, "run/model.json");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("run/model.json: not a valid springback model"), std::string::npos) << e.what();
  }
}
