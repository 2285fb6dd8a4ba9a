// The Tensor handle: accessors, item(), data_ptr<T>(), printing, and the
// autograd methods without //autograd linked.
#include "tensor/tensor.h"

#include <sstream>

#include "gtest/gtest.h"
#include "tensor/testing.h"
#include "tensor/variable_hooks.h"

namespace ember {
namespace {

std::string printed(const Tensor& t) {
  std::ostringstream out;
  out << t;
  return out.str();
}

TEST(TensorTest, ReportsGeometryAndType) {
  Tensor t = zeros({2, 3}, kDouble);
  EXPECT_EQ(t.dim(), 2);
  EXPECT_EQ(t.size(-1), 3);
  EXPECT_EQ(t.stride(0), 3);
  EXPECT_EQ(t.scalar_type(), kDouble);
  EXPECT_EQ(t.dtype(), kDouble);
  EXPECT_EQ(t.toString(), "CPUDoubleType");
  EXPECT_TRUE(t.defined());
  EXPECT_FALSE(Tensor().defined());
}

TEST(ItemTest, ReadsTheOnlyElementInAnyDtype) {
  EXPECT_EQ(tensor({2.5}).item<float>(), 2.5f);
  EXPECT_EQ(tensor({7}).item<int64_t>(), 7);
  EXPECT_EQ(tensor({7}).item<double>(), 7.0);
  EXPECT_TRUE(tensor({true}).item<bool>());
  EXPECT_EQ(arange(6).view({2, 3}).select(1, 2).select(0, 1).item<int64_t>(), 5);
}

TEST(ItemTest, MultiElementTensorThrows) {
  EXPECT_EMBER_ERROR(ones({2, 3}).item<float>(), HAS("a Tensor with 6 elements cannot be converted to Scalar"),
                     HAS("[2, 3]"));
}

TEST(DataPtrTest, WrongTypeThrows) {
  EXPECT_EMBER_ERROR(ones({2}).data_ptr<double>(), HAS("expected scalar type Double but found Float"),
                     HAS("data_ptr<float>()"));
}

TEST(DataPtrTest, PointsAtTheFirstElementOfAView) {
  Tensor a = arange(6);
  EXPECT_EQ(a.slice(0, 2).data_ptr<int64_t>(), a.data_ptr<int64_t>() + 2);
}

// Expected strings are LibTorch 1.13's output for the same tensors.
TEST(PrintTest, VectorOfFixedPointValues) {
  EXPECT_EQ(printed(tensor({1.5, 2.25, 300.0})), "   1.5000\n   2.2500\n 300.0000\n[ CPUFloatType{3} ]");
}

TEST(PrintTest, IntegerMatrix) { EXPECT_EQ(printed(arange(6).view({2, 3})), " 0  1  2\n 3  4  5\n[ CPULongType{2,3} ]"); }

TEST(PrintTest, ThreeDimTensorAsMatrices) {
  EXPECT_EQ(printed(arange(12, kFloat).view({2, 2, 3}) / 7),
            "(1,.,.) = \n  0.0000  0.1429  0.2857\n  0.4286  0.5714  0.7143\n\n(2,.,.) = \n  0.8571  1.0000  1.1429\n"
            "  1.2857  1.4286  1.5714\n[ CPUFloatType{2,2,3} ]");
}

TEST(PrintTest, ScalarScientificScaledAndBool) {
  EXPECT_EQ(printed(scalar_tensor(3.5)), "3.5\n[ CPUFloatType{} ]");
  EXPECT_EQ(printed(tensor({1e-5, 1e5})), " 1.0000e-05\n 1.0000e+05\n[ CPUFloatType{2} ]");
  EXPECT_EQ(printed(tensor({0.001, 0.002})), "0.001 *\n 1.0000\n 2.0000\n[ CPUFloatType{2} ]");
  EXPECT_EQ(printed(tensor({true, false})), " 1\n 0\n[ CPUBoolType{2} ]");
  EXPECT_EQ(printed(empty({0, 3})), "[ CPUFloatType{0,3} ]");
  EXPECT_EQ(printed(Tensor()), "[ Tensor (undefined) ]");
}

TEST(PrintTest, WideMatrixInColumnBlocks) {
  std::string out = printed(ones({2, 30}));
  EXPECT_EQ(out.substr(0, 18), "Columns 1 to 26 1 ");
  EXPECT_NE(out.find("\n\nColumns 27 to 30 1  1  1  1\n 1  1  1  1\n[ CPUFloatType{2,30} ]"), std::string::npos);
}

TEST(PrintTest, LeavesTheStreamFormatAlone) {
  std::ostringstream out;
  out << tensor({0.5}) << 0.25;
  EXPECT_NE(out.str().find("]0.25"), std::string::npos);
}

TEST(AutogradHooksTest, WithoutAutogradRequiresGradIsFalse) { EXPECT_FALSE(ones({1}).requires_grad()); }

TEST(AutogradHooksTest, WithoutAutogradOtherMethodsSayToLinkIt) {
  Tensor t = ones({1});
  EXPECT_EMBER_ERROR(t.set_requires_grad(true), HAS("Tensor::set_requires_grad() needs Ember's autograd"),
                     HAS("@ember//autograd"));
  EXPECT_EMBER_ERROR(t.grad(), HAS("Tensor::grad() needs Ember's autograd"));
  EXPECT_EMBER_ERROR(t.backward(), HAS("Tensor::backward() needs Ember's autograd"));
  EXPECT_EMBER_ERROR(t.is_leaf(), HAS("Tensor::is_leaf()"));
  EXPECT_EMBER_ERROR(t.requires_grad_(), HAS("Tensor::requires_grad_() needs Ember's autograd"));
  EXPECT_EMBER_ERROR(t.mutable_grad(), HAS("Tensor::mutable_grad() needs Ember's autograd"));
  EXPECT_EMBER_ERROR(t.backward(Tensor(), false, false, {t}), HAS("Tensor::backward() needs Ember's autograd"));
}

class FakeHooks final : public VariableHooksInterface {
 public:
  void set_requires_grad(const Tensor&, bool value) const override { last = value; }
  const Tensor& grad(const Tensor& self) const override { return self; }
  const std::shared_ptr<autograd::Node>& grad_fn(const Tensor&) const override { return node; }
  bool is_leaf(const Tensor&) const override { return true; }
  int64_t output_nr(const Tensor&) const override { return 3; }
  bool is_view(const Tensor&) const override { return false; }
  const Tensor& base(const Tensor& self) const override { return self; }
  void retain_grad(const Tensor&) const override {}
  bool retains_grad(const Tensor&) const override { return false; }
  void backward(const Tensor&, const Tensor&, bool, bool, TensorList) const override {}
  mutable bool last = false;
  std::shared_ptr<autograd::Node> node;
};

TEST(AutogradHooksTest, InstalledHooksReceiveTheCalls) {
  FakeHooks hooks;
  SetVariableHooks(&hooks);
  Tensor t = ones({1});
  t.set_requires_grad(true);
  EXPECT_TRUE(hooks.last);
  EXPECT_EQ(t.output_nr(), 3);
  EXPECT_TRUE(t.is_leaf());
  EXPECT_TRUE(t.grad().is_same(t));
  SetVariableHooks(nullptr);
  EXPECT_EMBER_ERROR(t.output_nr(), HAS("needs Ember's autograd"));
}

}  // namespace
}  // namespace ember
