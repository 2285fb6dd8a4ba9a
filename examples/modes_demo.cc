// Shows Ember's modes at work: grad mode, no_grad, InferenceMode nesting and
// thread locality. Run with `./bazelw run //examples:modes_demo`;
// modes_demo_test checks that it prints modes_demo.expected.
#include <iostream>
#include <string>
#include <thread>

#include "modes/grad_mode.h"
#include "modes/inference_mode.h"
#include "modes/local_dispatch_key_set.h"

namespace {

void Show(const std::string& where) {
  const ember::LocalDispatchKeySet keys = ember::tls_local_dispatch_key_set();
  std::cout << where << ": grad=" << (ember::GradMode::is_enabled() ? "on" : "off")
            << " inference=" << (ember::InferenceMode::is_enabled() ? "on" : "off")
            << " included=" << keys.included_ << " excluded=" << keys.excluded_ << "\n";
}

}  // namespace

int main() {
  Show("default");
  {
    ember::NoGradGuard no_grad;
    Show("  NoGradGuard");
  }
  {
    ember::InferenceMode guard;
    Show("  InferenceMode");
    {
      ember::InferenceMode off(false);
      Show("    InferenceMode(false)");
    }
    {
      ember::AutoGradMode grad_on(true);
      Show("    AutoGradMode(true)");
    }
    std::thread([] { Show("    new thread"); }).join();
    Show("  InferenceMode again");
  }
  Show("default again");

  auto predict = ember::inference_mode([](int batch) {
    Show("  inside inference_mode(fn)");
    return batch * 2;
  });
  const int doubled = predict(21);
  std::cout << "inference_mode(fn) returned " << doubled << "\n";
  Show("after inference_mode(fn)");
  return 0;
}
