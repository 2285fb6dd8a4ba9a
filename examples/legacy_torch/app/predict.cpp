// A LibTorch inference demo in the style of the 1.5-era tutorials.
#include <memory>

#include "app/guards.h"

namespace app {

class Predictor {
 public:
  explicit Predictor(bool fast) : fast_(fast) {}

  int predict(int batch) {
    // AutoNonVariableTypeMode makes inference fast: no autograd graph.
    at::AutoNonVariableTypeMode guard(fast_);
    return batch * 2;
  }

  int predict_many(int batches) {
    NoGradScope scope;
    auto warm = std::make_unique<at::AutoNonVariableTypeMode>(true);
    int total = 0;
    for (int i = 0; i < batches; ++i) total += predict(i);
    return total;
  }

  int debug_with_autograd(int batch) {
    at::AutoNonVariableTypeMode off(false);  // meant "autograd back on": review by hand
    return batch;
  }

 private:
  bool fast_;
};

}  // namespace app

int main() { return app::Predictor(true).predict_many(3) > 0 ? 0 : 1; }
