// The dispatcher: which kernels an op runs through, for each kind of tensor
// and each thread-local mode. A test operator has a kernel per key that
// records its key and redispatches below itself.
#include "tensor/dispatcher.h"

#include <string>

#include "gtest/gtest.h"
#include "modes/inference_mode.h"
#include "modes/kernel_guards.h"
#include "tensor/ops.h"
#include "tensor/tensor.h"
#include "tensor/testing.h"

namespace ember {
namespace {

thread_local std::string path;

Operator<Tensor(const Tensor&, int64_t)> traced{"traced"};

Tensor cpu_kernel(DispatchKeySet, const Tensor& t, int64_t) {
  path += "CPU";
  return t;
}
Tensor inplace_or_view_kernel(DispatchKeySet ks, const Tensor& t, int64_t x) {
  path += "ADInplaceOrView>";
  return traced.redispatch(keys_after(ks, DispatchKey::ADInplaceOrView), t, x);
}
Tensor autograd_kernel(DispatchKeySet ks, const Tensor& t, int64_t x) {
  path += "AutogradCPU>";
  return traced.redispatch(keys_after(ks, DispatchKey::AutogradCPU), t, x);
}

class DispatcherTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    traced.register_kernel(DispatchKey::CPU, &cpu_kernel);
    traced.register_kernel(DispatchKey::ADInplaceOrView, &inplace_or_view_kernel);
    traced.register_kernel(DispatchKey::AutogradCPU, &autograd_kernel);
  }
  std::string run(const Tensor& t) {
    path.clear();
    traced.call(t, 0);
    return path;
  }
  static Tensor inference_tensor() {
    InferenceMode guard;
    return ones({1});
  }
};

TEST_F(DispatcherTest, NormalTensorInNormalModeRunsEveryLayer) {
  EXPECT_EQ(run(ones({1})), "AutogradCPU>ADInplaceOrView>CPU");
}

TEST_F(DispatcherTest, InferenceTensorOutsideInferenceModeStillReachesADInplaceOrView) {
  // Through the TLS included set: that is where in-place updates are refused.
  EXPECT_EQ(run(inference_tensor()), "ADInplaceOrView>CPU");
}

TEST_F(DispatcherTest, NormalTensorInsideInferenceModeSkipsAutogradOnly) {
  Tensor t = ones({1});
  InferenceMode guard;
  EXPECT_EQ(run(t), "ADInplaceOrView>CPU");
}

TEST_F(DispatcherTest, InferenceTensorInsideInferenceModeGoesStraightToCPU) {
  Tensor t = inference_tensor();
  InferenceMode guard;
  EXPECT_EQ(run(t), "CPU");
}

TEST_F(DispatcherTest, AutoDispatchBelowAutogradSkipsAutograd) {
  Tensor t = ones({1});
  AutoDispatchBelowAutograd guard;
  EXPECT_EQ(run(t), "ADInplaceOrView>CPU");
}

TEST_F(DispatcherTest, AutoDispatchBelowADInplaceOrViewSkipsBoth) {
  Tensor t = ones({1});
  AutoDispatchBelowADInplaceOrView guard;
  EXPECT_EQ(run(t), "CPU");
}

TEST_F(DispatcherTest, InferenceModeDisabledInsideEnabledRestoresTheFullPath) {
  Tensor t = ones({1});
  InferenceMode on;
  InferenceMode off(false);
  EXPECT_EQ(run(t), "AutogradCPU>ADInplaceOrView>CPU");
}

TEST_F(DispatcherTest, KernelsReceiveTheComputedKeySet) {
  Tensor t = ones({1});
  EXPECT_EQ(traced.compute_dispatch_key_set(t, 0), normal_tensor_keyset(DispatchKey::CPU));
  InferenceMode guard;
  EXPECT_EQ(traced.compute_dispatch_key_set(t, 0), DispatchKeySet({DispatchKey::CPU, DispatchKey::ADInplaceOrView}));
}

TEST(DispatcherImplicitKeys, JoinEveryCallAndYieldToTheThreadsExcludedKeys) {
  // As LibTorch's wrapped Scalar tensor: an inference tensor's call gets the
  // Autograd key outside InferenceMode, and loses it inside.
  Operator<Tensor(const Tensor&)> op("op_with_implicit_autograd", DispatchKeySet(DispatchKey::AutogradCPU));
  Tensor i;
  {
    InferenceMode guard;
    i = ones({1});
  }
  EXPECT_TRUE(op.compute_dispatch_key_set(i).has(DispatchKey::AutogradCPU));
  InferenceMode guard;
  EXPECT_EQ(op.compute_dispatch_key_set(i), DispatchKeySet(DispatchKey::CPU));
}

TEST_F(DispatcherTest, FallthroughSkipsToTheNextKeyBelow) {
  Operator<Tensor(const Tensor&, int64_t)> op{"op_with_fallthrough"};
  op.register_kernel(DispatchKey::CPU, &cpu_kernel);
  path.clear();
  op.call(ones({1}), 0);
  EXPECT_EQ(path, "CPU");  // ADInplaceOrView and AutogradCPU are fallthroughs by default.
  op.register_kernel(DispatchKey::AutogradCPU, &autograd_kernel);
  EXPECT_FALSE(op.is_fallthrough(DispatchKey::AutogradCPU));
  op.register_fallthrough(DispatchKey::AutogradCPU);
  EXPECT_TRUE(op.is_fallthrough(DispatchKey::AutogradCPU));
  EXPECT_EQ(op.dispatch_key(normal_tensor_keyset(DispatchKey::CPU)), DispatchKey::CPU);
}

TEST_F(DispatcherTest, BuiltInOpsRunTheirCPUKernelWithoutAutograd) {
  EXPECT_EQ(ops::add.dispatch_key(normal_tensor_keyset(DispatchKey::CPU)), DispatchKey::CPU);
  EXPECT_TRUE(ops::add.is_fallthrough(DispatchKey::AutogradCPU));
  EXPECT_TRUE(ops::add.is_fallthrough(DispatchKey::ADInplaceOrView));
}

thread_local int intercepted = 0;
Tensor counting_add(DispatchKeySet ks, const Tensor& a, const Tensor& b, const Scalar& alpha) {
  ++intercepted;
  return ops::add.redispatch(keys_after(ks, DispatchKey::AutogradCPU), a, b, alpha);
}

TEST_F(DispatcherTest, AKernelRegisteredOnABuiltInOpIsReachedFromEverySpelling) {
  auto previous = ops::add.register_kernel(DispatchKey::AutogradCPU, &counting_add);
  Tensor a = ones({2});
  intercepted = 0;
  Tensor c = a + a;
  Tensor d = a.add(a);
  Tensor e = add(a, a);
  EXPECT_EQ(intercepted, 3);
  EXPECT_EQ(testing::values<float>(c), (std::vector<float>{2, 2}));
  {
    InferenceMode guard;  // Autograd keys excluded: no interception.
    Tensor f = a + a;
  }
  EXPECT_EQ(intercepted, 3);
  ops::add.register_fallthrough(DispatchKey::AutogradCPU);
  EXPECT_EQ(previous, nullptr);
}

TEST_F(DispatcherTest, MissingKernelNamesTheOpAndTheKey) {
  Operator<Tensor(const Tensor&, int64_t)> op{"no_cpu_kernel"};
  EXPECT_EMBER_ERROR(op.call(ones({1}), 0), HAS("Could not run 'no_cpu_kernel' with arguments from the 'CPU' backend"),
                     HAS("register_kernel(DispatchKey::CPU"));
}

TEST_F(DispatcherTest, UndefinedTensorArgumentsHaveNoBackend) {
  EXPECT_EMBER_ERROR(traced.call(Tensor(), 0), HAS("'Undefined' backend"), HAS("Pass defined tensors"));
}

}  // namespace
}  // namespace ember
