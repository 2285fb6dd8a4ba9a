// User inference code: every spelling becomes c10::InferenceMode.
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/Optional.h>

#include <memory>
#include <optional>

namespace app {

int run_model(int input, bool no_grad) {
  at::AutoNonVariableTypeMode guard(no_grad);  // runtime flag: kept
  return input;
}

int run_braced(int input) {
  at::AutoNonVariableTypeMode guard{true};
  return input;
}

int run_holders(int input, bool enabled) {
  std::unique_ptr<at::AutoNonVariableTypeMode> owned =
      std::make_unique<at::AutoNonVariableTypeMode>(true);
  std::unique_ptr<at::AutoNonVariableTypeMode> later;
  later.reset(new at::AutoNonVariableTypeMode(enabled));
  c10::optional<at::AutoNonVariableTypeMode> maybe;
  maybe.emplace(true);
  std::optional<at::AutoNonVariableTypeMode> std_maybe;
  std_maybe.emplace();
  return input;
}

class Predictor {
 public:
  Predictor() : guard_(true) {}
  int predict(int input) {
    auto body = [&] {
      ::at::AutoNonVariableTypeMode in_lambda;
      return input;
    };
    return body();
  }

 private:
  at::AutoNonVariableTypeMode guard_;
  at::AutoNonVariableTypeMode in_class_{true};
};

namespace detail {
using namespace at;
void warm_up() {
  AutoNonVariableTypeMode unqualified;
}
}  // namespace detail

}  // namespace app
