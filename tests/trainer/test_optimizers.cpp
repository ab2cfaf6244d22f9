// SPDX-License-Identifier: MIT
// Each optimizer against numbers worked out by hand from PyTorch's documented update rules: two
// parameters p0 = (1, -2), the gradient g1 = (0.5, 0.25) at the first step and g2 = (-0.3, 0.1)
// at the second. The arithmetic is in the comments; the default eps (1e-8 or 1e-10) changes
// nothing at the tolerance used (the updates run in float), so eps has tests of its own with 0.1.
// Weight decay is checked over two steps: a first adaptive step is lr * sign(g) with or without it.
#include "catch_compat.hpp"

#include "optimizers.hpp"

#include <cmath>

namespace {

using fashion_mnist::Optimizer;

const Eigen::Vector2f p0(1.0F, -2.0F);
const Eigen::Vector2f g1(0.5F, 0.25F);
const Eigen::Vector2f g2(-0.3F, 0.1F);

bool near(float actual, double expected, double tolerance = 2e-6) {
  return std::abs(static_cast<double>(actual) - expected) <= tolerance;
}

/// Runs `grads` through a fresh optimizer from p0, one step each, at learning rate `lr`.
Eigen::Vector2f run(const hyperparams::OptimizerOptions& options, double lr,
                    std::initializer_list<Eigen::Vector2f> grads) {
  Optimizer optimizer(options, 2);
  Eigen::VectorXf p = p0;
  for (const auto& g : grads) {
    optimizer.step(p, g, lr);
  }
  return p;
}

#define CHECK_PARAMS(p, e0, e1)                                                                    \
  do {                                                                                             \
    const Eigen::Vector2f actual_ = (p);                                                           \
    CAPTURE(actual_(0), actual_(1));                                                               \
    CHECK(near(actual_(0), (e0)));                                                                 \
    CHECK(near(actual_(1), (e1)));                                                                 \
  } while (false)

} // namespace

TEST_CASE("sgd without momentum steps against the gradient", "[optimizers]") {
  // p1 = p0 - 0.1 g1 = (1 - 0.05, -2 - 0.025)
  CHECK_PARAMS(run(hyperparams::SgdOptions{}, 0.1, {g1}), 0.95, -2.025);
}

TEST_CASE("sgd momentum starts its buffer at the gradient and dampens later steps",
          "[optimizers]") {
  hyperparams::SgdOptions o;
  o.momentum = 0.9;
  o.dampening = 0.1;
  // step 1: b = g1 = (0.5, 0.25) (no dampening on the first step); p1 = p0 - 0.1 b = (0.95, -2.025)
  CHECK_PARAMS(run(o, 0.1, {g1}), 0.95, -2.025);
  // step 2: b = 0.9 (0.5, 0.25) + (1 - 0.1) (-0.3, 0.1) = (0.45 - 0.27, 0.225 + 0.09)
  //           = (0.18, 0.315); p2 = p1 - 0.1 b = (0.95 - 0.018, -2.025 - 0.0315)
  CHECK_PARAMS(run(o, 0.1, {g1, g2}), 0.932, -2.0565);
}

TEST_CASE("sgd nesterov adds momentum times the buffer to the gradient", "[optimizers]") {
  hyperparams::SgdOptions o;
  o.momentum = 0.9;
  o.nesterov = true;
  // step 1: b = g1; g = g1 + 0.9 b = 1.9 g1 = (0.95, 0.475); p1 = p0 - 0.1 g = (0.905, -2.0475)
  CHECK_PARAMS(run(o, 0.1, {g1}), 0.905, -2.0475);
  // step 2: b = 0.9 (0.5, 0.25) + (-0.3, 0.1) = (0.15, 0.325)
  //         g = g2 + 0.9 b = (-0.3 + 0.135, 0.1 + 0.2925) = (-0.165, 0.3925)
  //         p2 = p1 - 0.1 g = (0.905 + 0.0165, -2.0475 - 0.03925)
  CHECK_PARAMS(run(o, 0.1, {g1, g2}), 0.9215, -2.08675);
}

TEST_CASE("sgd weight decay adds weight_decay times the parameters to the gradient",
          "[optimizers]") {
  hyperparams::SgdOptions o;
  o.weight_decay = 0.1;
  o.momentum = 0.5;
  // step 1: g = g1 + 0.1 p0 = (0.6, 0.05); b = g; p1 = p0 - 0.1 b = (0.94, -2.005)
  CHECK_PARAMS(run(o, 0.1, {g1}), 0.94, -2.005);
  // step 2: g = g2 + 0.1 p1 = (-0.3 + 0.094, 0.1 - 0.2005) = (-0.206, -0.1005)
  //         b = 0.5 (0.6, 0.05) + g = (0.094, -0.0755); p2 = p1 - 0.1 b = (0.9306, -1.99745)
  CHECK_PARAMS(run(o, 0.1, {g1, g2}), 0.9306, -1.99745);
}

TEST_CASE("adam corrects the bias of both moments", "[optimizers]") {
  // step 1: m = 0.1 g1, v = 0.001 g1^2; m^ = g1, v^ = g1^2: p1 = p0 - 0.1 sign(g1) = (0.9, -2.1)
  CHECK_PARAMS(run(hyperparams::AdamOptions{}, 0.1, {g1}), 0.9, -2.1);
  // step 2: m = 0.9 (0.05, 0.025) + 0.1 (-0.3, 0.1) = (0.015, 0.0325)
  //         v = 0.999 (0.00025, 0.0000625) + 0.001 (0.09, 0.01) = (0.00033975, 0.0000724375)
  //         m^ = m / (1 - 0.9^2) = m / 0.19 = (0.0789473684, 0.1710526316)
  //         v^ = v / (1 - 0.999^2) = v / 0.001999 = (0.1699599800, 0.0362368684)
  //         sqrt(v^) = (0.4122620283, 0.1903598393)
  //         0.1 m^ / sqrt(v^) = (0.0191498035, 0.0898575205)
  //         p2 = (0.9 - 0.0191498035, -2.1 - 0.0898575205)
  CHECK_PARAMS(run(hyperparams::AdamOptions{}, 0.1, {g1, g2}), 0.8808501965, -2.1898575205);
}

TEST_CASE("adam weight decay is an L2 term in the gradient", "[optimizers]") {
  hyperparams::AdamOptions o;
  o.weight_decay = 0.1;
  // g = g1 + 0.1 p0 = (0.6, 0.05); the first step is lr * sign(g): p1 = (0.9, -2.1)
  CHECK_PARAMS(run(o, 0.1, {g1}), 0.9, -2.1);
  // step 2: g = g2 + 0.1 p1 = (-0.3 + 0.09, 0.1 - 0.21) = (-0.21, -0.11)
  //         m = 0.9 (0.06, 0.005) + 0.1 g = (0.033, -0.0065)
  //         v = 0.999 (0.00036, 0.0000025) + 0.001 g^2 = (0.00040374, 0.0000145975)
  //         m^ = m / 0.19 = (0.1736842105, -0.0342105263)
  //         sqrt(v / 0.001999) = (0.4494118217, 0.0854540883)
  //         0.1 m^ / sqrt(v^) = (0.0386470053, -0.0400338088)
  //   (without the decay p2 is (0.8808501965, -2.1898575205): see above)
  CHECK_PARAMS(run(o, 0.1, {g1, g2}), 0.9 - 0.0386470053, -2.1 + 0.0400338088);
}

TEST_CASE("adam adds eps to the root of the corrected second moment", "[optimizers]") {
  hyperparams::AdamOptions o;
  o.epsilon = 0.1;
  // step 1: m^ = g1, v^ = g1^2; 0.1 m^ / (sqrt(v^) + 0.1) = 0.1 (0.5 / 0.6, 0.25 / 0.35)
  //   (eps under the root would give 0.1 (0.5 / sqrt(0.35), 0.25 / sqrt(0.1625)))
  CHECK_PARAMS(run(o, 0.1, {g1}), 1.0 - 0.05 / 0.6, -2.0 - 0.025 / 0.35);
}

TEST_CASE("adam amsgrad divides by the largest second moment so far", "[optimizers]") {
  hyperparams::AdamOptions o;
  o.amsgrad = true;
  const Eigen::Vector2f g3(0.01F, 0.01F);
  // step 1 as plain adam: p1 = (0.9, -2.1), m = (0.05, 0.025), v = v_max = (0.00025, 0.0000625)
  // step 2 with g3: m = 0.9 m + 0.1 g3 = (0.046, 0.0235); m^ = m / 0.19 = (0.2421052632,
  // 0.1236842105)
  //   v = 0.999 v + 0.001 g3^2 = (0.00024985, 0.0000625375)
  //   v_max = max(v_max, v) = (0.00025, 0.0000625375): the first element keeps its old maximum
  //   v^ = v_max / 0.001999 = (0.1250625313, 0.0312843922)
  //   0.1 m^ / sqrt(v^) = (0.0684605878, 0.0699278862)
  CHECK_PARAMS(run(o, 0.1, {g1, g3}), 0.9 - 0.0684605878, -2.1 - 0.0699278862);
  // without amsgrad the first element divides by sqrt(0.00024985 / 0.001999) instead:
  //   0.1 * 0.2421052632 / sqrt(0.1249874937) = 0.0684811352
  CHECK_PARAMS(run(hyperparams::AdamOptions{}, 0.1, {g1, g3}), 0.9 - 0.0684811352,
               -2.1 - 0.0699278862);
}

TEST_CASE("adamw decays the parameters before the adam step", "[optimizers]") {
  hyperparams::AdamWOptions o;
  o.weight_decay = 0.1;
  // step 1: p = p0 (1 - 0.1 * 0.1) = (0.99, -1.98); adam step of 0.1 sign(g1): p1 = (0.89, -2.08)
  //   (adam with L2 decay gives (0.9, -2.1) here: see above)
  CHECK_PARAMS(run(o, 0.1, {g1}), 0.89, -2.08);
  // step 2: p = 0.99 p1 = (0.8811, -2.0592), then the same adam step as without decay
  //   (0.0191498035, 0.0898575205): p2 = (0.8619501965, -2.1490575205)
  CHECK_PARAMS(run(o, 0.1, {g1, g2}), 0.8619501965, -2.1490575205);
}

TEST_CASE("rmsprop divides by the root of the running mean square", "[optimizers]") {
  hyperparams::RmspropOptions o; // alpha 0.99
  // step 1: v = 0.01 g1^2 = (0.0025, 0.000625); sqrt(v) = (0.05, 0.025)
  //         p1 = p0 - 0.01 g1 / sqrt(v) = p0 - 0.01 (10, 10) = (0.9, -2.1)
  CHECK_PARAMS(run(o, 0.01, {g1}), 0.9, -2.1);
  // step 2: v = 0.99 v + 0.01 g2^2 = (0.003375, 0.00071875); sqrt(v) = (0.0580947502, 0.0268095132)
  //         0.01 g2 / sqrt(v) = (-0.0516397779, 0.0373001923)
  CHECK_PARAMS(run(o, 0.01, {g1, g2}), 0.9516397779, -2.1373001923);
}

TEST_CASE("rmsprop centered subtracts the square of the running mean gradient", "[optimizers]") {
  hyperparams::RmspropOptions o;
  o.centered = true;
  // step 1: v = (0.0025, 0.000625), g_avg = 0.01 g1 = (0.005, 0.0025)
  //         v - g_avg^2 = (0.002475, 0.00061875); its root (0.0497493719, 0.0248746859)
  //         p1 = p0 - 0.01 g1 / root = p0 - (0.1005037815, 0.1005037815)
  CHECK_PARAMS(run(o, 0.01, {g1}), 0.8994962185, -2.1005037815);
  // step 2: v = (0.003375, 0.00071875), g_avg = 0.99 g_avg + 0.01 g2 = (0.00195, 0.003475)
  //         v - g_avg^2 = (0.0033711975, 0.000706674375); root (0.0580620143, 0.0265833477)
  //         p2 = p1 - 0.01 g2 / root = p1 - (-0.0516688930, 0.0376175345)
  CHECK_PARAMS(run(o, 0.01, {g1, g2}), 0.9511651115, -2.1381213161);
}

TEST_CASE("rmsprop momentum accumulates the scaled gradient from zero", "[optimizers]") {
  hyperparams::RmspropOptions o;
  o.momentum = 0.9;
  // step 1: b = 0.9 * 0 + g1 / sqrt(v) = (10, 10); p1 = p0 - 0.01 b = (0.9, -2.1)
  CHECK_PARAMS(run(o, 0.01, {g1}), 0.9, -2.1);
  // step 2: b = 0.9 (10, 10) + g2 / sqrt(v) = (9 - 5.1639777949, 9 + 3.7300192330)
  //           = (3.8360222051, 12.7300192330); p2 = p1 - 0.01 b
  CHECK_PARAMS(run(o, 0.01, {g1, g2}), 0.9 - 0.038360222051, -2.1 - 0.127300192330);
}

TEST_CASE("rmsprop weight decay is an L2 term in the gradient", "[optimizers]") {
  hyperparams::RmspropOptions o;
  o.weight_decay = 0.1;
  // g = g1 + 0.1 p0 = (0.6, 0.05); v = 0.01 g^2; the first step is 0.01 g / (0.1 |g|) = 0.1 sign(g)
  CHECK_PARAMS(run(o, 0.01, {g1}), 0.9, -2.1);
  // step 2: g = g2 + 0.1 p1 = (-0.21, -0.11); v = 0.99 (0.0036, 0.000025) + 0.01 g^2
  //         = (0.004005, 0.00014575); sqrt(v) = (0.0632850693, 0.0120726965)
  //         0.01 g / sqrt(v) = (-0.0331831824, -0.0911146903)
  //   (without the decay p2 is (0.9516397779, -2.1373001923): see above)
  CHECK_PARAMS(run(o, 0.01, {g1, g2}), 0.9 + 0.0331831824, -2.1 + 0.0911146903);
}

TEST_CASE("adagrad sums squared gradients from the initial accumulator and decays the rate",
          "[optimizers]") {
  hyperparams::AdagradOptions o;
  o.lr_decay = 0.5;
  o.initial_accumulator_value = 0.1;
  // step 1: clr = 0.1 / (1 + 0 * 0.5) = 0.1; sum = 0.1 + g1^2 = (0.35, 0.1625)
  //         sqrt(sum) = (0.5916079783, 0.4031128874)
  //         p1 = p0 - 0.1 g1 / sqrt(sum) = (1 - 0.0845154255, -2 - 0.0620173673)
  CHECK_PARAMS(run(o, 0.1, {g1}), 0.9154845745, -2.0620173673);
  // step 2: clr = 0.1 / (1 + 1 * 0.5) = 0.0666666667; sum = (0.44, 0.1725)
  //         sqrt(sum) = (0.6633249581, 0.4153311931)
  //         clr g2 / sqrt(sum) = (-0.0301511345, 0.0160514471)
  CHECK_PARAMS(run(o, 0.1, {g1, g2}), 0.9456357090, -2.0780688144);
}

TEST_CASE("adagrad weight decay is an L2 term in the gradient", "[optimizers]") {
  hyperparams::AdagradOptions o;
  o.weight_decay = 0.1;
  // g = (0.6, 0.05); sum = g^2; p1 = p0 - 0.1 g / |g| = (0.9, -2.1)
  CHECK_PARAMS(run(o, 0.1, {g1}), 0.9, -2.1);
  // step 2: g = g2 + 0.1 p1 = (-0.21, -0.11); sum = (0.36 + 0.0441, 0.0025 + 0.0121)
  //         = (0.4041, 0.0146); sqrt(sum) = (0.6356886030, 0.1208304597)
  //         0.1 g / sqrt(sum) = (-0.0330350425, -0.0910366477)
  CHECK_PARAMS(run(o, 0.1, {g1, g2}), 0.9 + 0.0330350425, -2.1 + 0.0910366477);
}

TEST_CASE("adagrad adds eps to the root of the sum", "[optimizers]") {
  hyperparams::AdagradOptions o;
  o.epsilon = 0.1;
  // sum = g1^2; 0.1 g1 / (sqrt(sum) + 0.1) = 0.1 (0.5 / 0.6, 0.25 / 0.35)
  CHECK_PARAMS(run(o, 0.1, {g1}), 1.0 - 0.05 / 0.6, -2.0 - 0.025 / 0.35);
}

TEST_CASE("the learning rate of each step scales the update", "[optimizers]") {
  // the trainer passes learning_rate_at_step(...) per step: half the rate, half the sgd step
  Optimizer sgd(hyperparams::SgdOptions{}, 2);
  Eigen::VectorXf p = p0;
  sgd.step(p, g1, 0.1);
  sgd.step(p, g1, 0.05);
  // p = p0 - 0.1 g1 - 0.05 g1 = p0 - 0.15 (0.5, 0.25) = (0.925, -2.0375)
  CHECK_PARAMS(p, 0.925, -2.0375);
}
