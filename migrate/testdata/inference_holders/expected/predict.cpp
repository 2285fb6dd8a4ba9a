// User inference code: every spelling becomes c10::InferenceMode.
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/Optional.h>

#include <memory>
#include <optional>

namespace app {

int run_model(int input, bool no_grad) {
  c10::InferenceMode guard(no_grad);  // runtime flag: kept
  return input;
}

int run_braced(int input) {
  c10::InferenceMode guard{true};
  return input;
}

int run_holders(int input, bool enabled) {
  std::unique_ptr<c10::InferenceMode> owned =
      std::make_unique<c10::InferenceMode>(true);
  std::unique_ptr<c10::InferenceMode> later;
  later.reset(new c10::InferenceMode(enabled));
  c10::optional<c10::InferenceMode> maybe;
  maybe.emplace(true);
  std::optional<c10::InferenceMode> std_maybe;
  std_maybe.emplace();
  return input;
}

class Predictor {
 public:
  Predictor() : guard_(true) {}
  int predict(int input) {
    auto body = [&] {
      ::c10::InferenceMode in_lambda;
      return input;
    };
    return body();
  }

 private:
  c10::InferenceMode guard_;
  c10::InferenceMode in_class_{true};
};

namespace detail {
using namespace at;
void warm_up() {
  c10::InferenceMode unqualified;
}
}  // namespace detail

}  // namespace app
