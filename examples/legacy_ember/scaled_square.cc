// Legacy kernel code: a custom Function whose forward turns autograd off with
// the deprecated guard, as custom ops were written before PyTorch 1.9.
//
// Sources of this package include each other by file name ("scaled_square.h")
// so that the copies //migrate and sed rewrite (migrated/, sed_renamed/)
// include each other, not the originals.
#include "scaled_square.h"

#include "autograd/function.h"
#include "modes/legacy_guards.h"

namespace shop {
namespace {

struct ScaledSquare : ember::autograd::Function<ScaledSquare> {
  static ember::Tensor forward(ember::autograd::AutogradContext* ctx, ember::Tensor x, double scale) {
    ember::AutoNonVariableTypeMode guard;  // "no autograd in here"
    ctx->save_for_backward({x});
    ctx->saved_data["scale"] = scale;
    return x * x * scale;
  }

  static ember::autograd::variable_list backward(ember::autograd::AutogradContext* ctx,
                                                 ember::autograd::variable_list grad) {
    ember::Tensor x = ctx->get_saved_variables()[0];
    double scale = ctx->saved_data["scale"].toDouble();
    return {grad[0] * x * (2 * scale), ember::Tensor()};
  }
};

}  // namespace

ember::Tensor scaled_square(const ember::Tensor& x, double scale) { return ScaledSquare::apply(x, scale); }

}  // namespace shop
