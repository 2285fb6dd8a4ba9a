// One spelling, one edit, however many instantiations.
#include <ATen/core/LegacyTypeDispatch.h>
#include <c10/core/InferenceMode.h>

template <typename T>
T run(T value) {
  c10::InferenceMode guard(true);
  return value;
}

template <typename T>
struct Runner {
  T operator()(T value) const {
    c10::InferenceMode guard;
    return value;
  }
};

int use_all() {
  return run(1) + static_cast<int>(run(2.0)) + Runner<int>()(3) + static_cast<int>(Runner<float>()(4.0f));
}
