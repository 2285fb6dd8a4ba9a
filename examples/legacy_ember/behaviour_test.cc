// What the migrated program does, compared with the legacy program it came
// from and with the naive `sed` rename of the same sources (builds.h).
#include <gtest/gtest.h>

#include <string>

#include "autograd/autograd.h"
#include "examples/legacy_ember/builds.h"
#include "modes/error.h"
#include "modes/inference_mode.h"
#include "nn/nn.h"
#include "tensor/tensor.h"

namespace {

using ember::Tensor;

ember::nn::Sequential MakeModel() {
  ember::manual_seed(0);
  ember::nn::Sequential model(ember::nn::Linear(8, 16), ember::nn::ReLU(), ember::nn::Linear(16, 4));
  model.eval();
  return model;
}

TEST(Predict, LegacyBuildReturnsNormalTensors) {
  ember::nn::Sequential model = MakeModel();
  Tensor y = shop_legacy::predict(model, ember::randn({5, 8}));
  EXPECT_FALSE(y.is_inference());
  EXPECT_FALSE(y.requires_grad());
}

TEST(Predict, MigratedBuildReturnsInferenceTensors) {
  ember::nn::Sequential model = MakeModel();
  Tensor y = shop_migrated::predict(model, ember::randn({5, 8}));
  EXPECT_TRUE(y.is_inference());
  EXPECT_FALSE(y.requires_grad());
  EXPECT_FALSE(ember::InferenceMode::is_enabled());  // The guard ended with predict.
}

TEST(Predict, MigratedBuildPredictsTheSameValuesAsLegacy) {
  ember::nn::Sequential model = MakeModel();
  Tensor x = ember::randn({5, 8});
  Tensor legacy = shop_legacy::predict(model, x);
  Tensor migrated = shop_migrated::predict(model, x);
  EXPECT_TRUE(migrated.equal(legacy));
  EXPECT_EQ(migrated.sizes(), legacy.sizes());
}

// scale * x * x and its gradient through each build's custom Function.
struct OpResult {
  Tensor value, grad;
  std::string grad_fn;
};
OpResult RunScaledSquare(Tensor (*scaled_square)(const Tensor&, double)) {
  Tensor x = ember::tensor({-1.5, 0.0, 0.25, 2.0, 3.0}).set_requires_grad(true);
  Tensor weights = ember::tensor({1.0, -2.0, 0.5, 3.0, -0.75});
  OpResult r;
  r.value = scaled_square(x, 0.3);
  r.grad_fn = r.value.grad_fn() ? r.value.grad_fn()->name() : "";
  (r.value * weights).sum().backward();
  r.grad = x.grad();
  return r;
}

TEST(ScaledSquare, MigratedValuesAreIdenticalToLegacy) {
  OpResult legacy = RunScaledSquare(&shop_legacy::scaled_square);
  OpResult migrated = RunScaledSquare(&shop_migrated::scaled_square);
  EXPECT_TRUE(migrated.value.equal(legacy.value));
  // And they are the op's values, so the comparison is not vacuous.
  Tensor x = ember::tensor({-1.5, 0.0, 0.25, 2.0, 3.0});
  EXPECT_TRUE(legacy.value.allclose(x * x * 0.3));
}

TEST(ScaledSquare, MigratedGradientsAreIdenticalToLegacy) {
  OpResult legacy = RunScaledSquare(&shop_legacy::scaled_square);
  OpResult migrated = RunScaledSquare(&shop_migrated::scaled_square);
  ASSERT_TRUE(legacy.grad.defined());
  ASSERT_TRUE(migrated.grad.defined());
  EXPECT_TRUE(migrated.grad.equal(legacy.grad));
  Tensor x = ember::tensor({-1.5, 0.0, 0.25, 2.0, 3.0});
  Tensor weights = ember::tensor({1.0, -2.0, 0.5, 3.0, -0.75});
  EXPECT_TRUE(legacy.grad.allclose(weights * x * 0.6));
}

TEST(ScaledSquare, MigratedOpIsStillTheCustomFunction) {
  OpResult legacy = RunScaledSquare(&shop_legacy::scaled_square);
  OpResult migrated = RunScaledSquare(&shop_migrated::scaled_square);
  EXPECT_NE(migrated.grad_fn.find("CppNode<"), std::string::npos) << migrated.grad_fn;
  EXPECT_NE(migrated.grad_fn.find("ScaledSquare"), std::string::npos) << migrated.grad_fn;
  EXPECT_NE(legacy.grad_fn.find("ScaledSquare"), std::string::npos) << legacy.grad_fn;
}

// The hazard: a graph saves x; the program's inference code then rescales x
// in place (rescale_inplace); then the graph's backward runs.
struct Hazard {
  Tensor w, x, y;
};
Hazard MakeHazard() {
  Hazard h;
  h.w = ember::tensor({1.0, -1.0, 0.5}).set_requires_grad(true);
  h.x = ember::full({3}, 2.0, ember::kDouble);
  h.y = (h.w * h.x).sum();  // Saves x for w's gradient.
  return h;
}
// d(sum(w * x))/dw with x as the forward saw it.
Tensor CorrectGradient() {
  Hazard h = MakeHazard();
  h.y.backward();
  return h.w.grad();
}
std::string BackwardError(const Hazard& h) {
  try {
    h.y.backward();
  } catch (const ember::Error& e) {
    return e.what();
  }
  return "";
}
const char kInplaceError[] =
    "one of the variables needed for gradient computation has been modified by an inplace operation";

TEST(SavedTensorRescaledInPlace, MigratedInferenceCodeMakesBackwardRaiseThePyTorchError) {
  Hazard h = MakeHazard();
  shop_migrated::rescale_inplace(h.x, 3.0);
  EXPECT_EQ(h.x._version(), 1);
  EXPECT_NE(BackwardError(h).find(kInplaceError), std::string::npos) << BackwardError(h);
  EXPECT_FALSE(h.w.grad().defined());
}

TEST(SavedTensorRescaledInPlace, LegacyCodeAlsoMakesBackwardRaise) {
  Hazard h = MakeHazard();
  shop_legacy::rescale_inplace(h.x, 3.0);
  EXPECT_EQ(h.x._version(), 1);
  EXPECT_NE(BackwardError(h).find(kInplaceError), std::string::npos);
}

TEST(SavedTensorRescaledInPlace, SedRenamedCodeSilentlyGivesAWrongGradient) {
  Hazard h = MakeHazard();
  shop_sed_renamed::rescale_inplace(h.x, 3.0);
  EXPECT_EQ(h.x._version(), 0);  // No bump: the graph cannot notice.
  EXPECT_EQ(BackwardError(h), "");
  Tensor correct = CorrectGradient();
  ASSERT_TRUE(h.w.grad().defined());
  EXPECT_FALSE(h.w.grad().allclose(correct));
  // It used the rescaled x (6), not the x the forward saw (2).
  EXPECT_TRUE(correct.allclose(ember::full({3}, 2.0, ember::kDouble)));
  EXPECT_TRUE(h.w.grad().allclose(ember::full({3}, 6.0, ember::kDouble)));
}

// The naive rename is right where the tool also chose the kernel guard.
TEST(ScaledSquare, SedRenamedKernelGivesTheSameGradientsAsMigrated) {
  OpResult sed = RunScaledSquare(&shop_sed_renamed::scaled_square);
  OpResult migrated = RunScaledSquare(&shop_migrated::scaled_square);
  EXPECT_TRUE(sed.value.equal(migrated.value));
  EXPECT_TRUE(sed.grad.equal(migrated.grad));
}

}  // namespace
