// The error paths not covered next to their feature, each with its message.
#include "autograd/autograd.h"
#include "autograd/function.h"
#include "autograd/test_util.h"
#include "modes/grad_mode.h"
#include "tensor/tensor.h"

namespace ember {
namespace autograd {
namespace {

Tensor dvec(std::initializer_list<double> v) { return tensor(v).to(kDouble); }

struct WrongShape : Function<WrongShape> {
  static Tensor forward(AutogradContext*, Tensor x) { return x * 2; }
  static variable_list backward(AutogradContext*, variable_list) { return {ones({2}, kDouble)}; }
};

struct GradForDouble : Function<GradForDouble> {
  static Tensor forward(AutogradContext*, Tensor x, double) { return x * 2; }
  static variable_list backward(AutogradContext*, variable_list g) { return {g[0], g[0]}; }
};

TEST(Errors, BaseOfNonViewThrows) {
  EXPECT_THROW_MSG(dvec({1}).set_requires_grad(true)._base(), "Can't get base of non-view Tensor");
}

TEST(Errors, GradientOfWrongShapeFromCustomBackwardThrows) {
  Tensor x = dvec({1, 2, 3}).set_requires_grad(true);
  EXPECT_THROW_MSG(WrongShape::apply(x).sum().backward(),
                   "returned an invalid gradient at index 0 - got [2] but expected shape compatible with [3]");
}

TEST(Errors, GradientForNonTensorArgumentThrows) {
  Tensor x = dvec({1}).set_requires_grad(true);
  EXPECT_THROW_MSG(GradForDouble::apply(x, 2.0).sum().backward(),
                   "returned a gradient different than None at position 2, but the corresponding forward input was "
                   "not a Variable");
}

TEST(Errors, GradOutputsCountMismatchThrows) {
  Tensor y = dvec({1}).set_requires_grad(true) * 2;
  EXPECT_THROW_MSG(backward({y}, {dvec({1}), dvec({1})}), "grad requires one grad_output per output");
}

TEST(Errors, NoGradViewAfterBaseChangedThrowsOnGradFn) {
  Tensor base = dvec({1, 2}).set_requires_grad(true) * 1;
  Tensor v;
  {
    NoGradGuard guard;
    v = base.view({2});
  }
  base.mul_(2);
  EXPECT_THROW_MSG(v.grad_fn(), "A view was created in no_grad mode and its base or another view of its base has "
                                "been modified inplace with grad mode enabled.");
}

TEST(Errors, AsStridedBackwardNeedsContiguousInput) {
  Tensor m = dvec({1, 2, 3, 4}).view({2, 2}).set_requires_grad(true);
  EXPECT_THROW_MSG(m.t().as_strided({2}, {1}, 0), "Ember's as_strided backward needs a contiguous input");
}

TEST(Errors, InplaceOnViewOfNonContiguousBaseIsRefusedBeforeWriting) {
  static double storage[4] = {1, 2, 3, 4};
  Tensor base = from_blob(storage, {2, 2}, {1, 2}, kDouble);  // Column-major, not a view.
  Tensor w = dvec({10, 10}).set_requires_grad(true);
  EXPECT_THROW_MSG(base.select(0, 0).mul_(w), "Ember cannot yet route gradients through an in-place update of a view "
                                              "whose base is not contiguous");
  EXPECT_EQ(storage[0], 1);
  EXPECT_EQ(storage[2], 3);
}

}  // namespace
}  // namespace autograd
}  // namespace ember
