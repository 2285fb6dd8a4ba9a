#include "nn/nn.h"

#include <gtest/gtest.h>

#include "autograd/gradcheck.h"
#include "modes/grad_mode.h"
#include "modes/inference_mode.h"

namespace ember {
namespace nn {
namespace {

TEST(Linear, ShapesAndInitBounds) {
  manual_seed(0);
  Linear fc(4, 3);
  EXPECT_EQ(fc.weight.sizes(), IntArrayRef({3, 4}));
  EXPECT_EQ(fc.bias.sizes(), IntArrayRef({3}));
  EXPECT_TRUE(fc.weight.requires_grad());
  EXPECT_TRUE(fc.weight.is_leaf());
  // Uniform on [-1/2, 1/2] for in_features = 4.
  EXPECT_TRUE((fc.weight * fc.weight).allclose(full({3, 4}, 0.0), 0, 0.25));
  Tensor y = fc(ones({5, 4}));
  EXPECT_EQ(y.sizes(), IntArrayRef({5, 3}));
  EXPECT_TRUE(y.allclose(fc.weight.sum({1}).unsqueeze(0).expand({5, 3}) + fc.bias));
}

TEST(Linear, SeedMakesInitDeterministic) {
  manual_seed(7);
  Linear a(3, 2);
  manual_seed(7);
  Linear b(3, 2);
  EXPECT_TRUE(a.weight.equal(b.weight));
  EXPECT_TRUE(a.bias.equal(b.bias));
}

TEST(Linear, GradientsMatchFiniteDifferences) {
  manual_seed(1);
  Linear fc(3, 2);
  Tensor w = fc.weight.to(kDouble).set_requires_grad(true);
  Tensor b = fc.bias.to(kDouble).set_requires_grad(true);
  Tensor x = randn({4, 3}, kDouble).set_requires_grad(true);
  EXPECT_TRUE(autograd::gradcheck(
      [](const autograd::variable_list& in) {
        Tensor out = in[0].mm(in[1].t());
        out.add_(in[2]);
        return autograd::variable_list{out};
      },
      {x, w, b}));
}

TEST(Sequential, ParametersTrainEvalAndBackward) {
  manual_seed(0);
  Sequential model(Linear(10, 20), ReLU(), Linear(20, 5));
  EXPECT_EQ(model.size(), 3u);
  auto named = model.named_parameters();
  ASSERT_EQ(named.size(), 4u);
  EXPECT_EQ(named[0].first, "0.weight");
  EXPECT_EQ(named[3].first, "2.bias");
  EXPECT_TRUE(model.is_training());
  model.eval();
  EXPECT_FALSE(model.is_training());
  EXPECT_FALSE(model.children()[0].second->is_training());
  model.train();
  EXPECT_TRUE(model.children()[2].second->is_training());

  Tensor loss = model(randn({8, 10})).sum();
  loss.backward();
  for (const Tensor& p : model.parameters()) {
    ASSERT_TRUE(p.grad().defined());
    EXPECT_EQ(p.grad().sizes(), p.sizes());
  }
  model.zero_grad();
  for (const Tensor& p : model.parameters()) EXPECT_TRUE(p.grad().equal(zeros_like(p)));
  model.zero_grad(/*set_to_none=*/true);
  for (const Tensor& p : model.parameters()) EXPECT_FALSE(p.grad().defined());
}

// As LibTorch's Module::zero_grad: a gradient that has history (from a
// create_graph backward) is detached first, then zeroed in place.
TEST(Module, ZeroGradDetachesAGradientWithHistory) {
  manual_seed(0);
  Linear layer(3, 2);
  Tensor x = randn({4, 3});
  layer(x).pow(2).sum().backward(Tensor(), /*retain_graph=*/true, /*create_graph=*/true);
  Tensor weight = layer.parameters()[0];
  Tensor with_history = weight.grad();
  ASSERT_TRUE(with_history.requires_grad());
  layer.zero_grad();
  EXPECT_FALSE(weight.grad().requires_grad());
  EXPECT_TRUE(weight.grad().equal(zeros_like(weight)));
  EXPECT_TRUE(with_history.equal(zeros_like(weight)));  // the same memory
}

TEST(Sequential, InferenceModeGivesInferenceTensorAndNoGraph) {
  manual_seed(0);
  Sequential model(Linear(10, 20), ReLU(), Linear(20, 5));
  model.eval();
  Tensor x = randn({100, 10});
  Tensor expected = model(x);
  InferenceMode guard;
  Tensor y = model(x);
  EXPECT_TRUE(y.is_inference());
  EXPECT_FALSE(y.requires_grad());
  EXPECT_TRUE(y.allclose(expected));
}

}  // namespace
}  // namespace nn
}  // namespace ember
