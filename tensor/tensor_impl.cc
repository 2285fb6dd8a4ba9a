#include "tensor/tensor_impl.h"

#include "tensor/check.h"

namespace ember {

TensorImpl::TensorImpl(Storage storage, ScalarType dtype, DispatchKeySet key_set,
                       intrusive_ptr<VersionCounter> version, const char* creator)
    : storage_(std::move(storage)),
      version_(std::move(version)),
      creator_(creator),
      key_set_(key_set),
      dtype_(dtype) {}

DimVector contiguous_strides(IntArrayRef sizes) {
  DimVector strides(sizes.size());
  int64_t running = 1;
  for (size_t i = sizes.size(); i-- > 0;) {
    strides[i] = running;
    running *= sizes[i] > 1 ? sizes[i] : 1;
  }
  return strides;
}

void TensorImpl::set_sizes_and_strides(IntArrayRef sizes, IntArrayRef strides) {
  sizes_ = sizes;
  strides_ = strides;
  refresh();
}

void TensorImpl::set_sizes_contiguous(IntArrayRef sizes) {
  // On every op's path: one pass, no fill of the strides before writing them.
  size_t n = sizes.size();
  sizes_ = sizes;
  strides_.resize_for_overwrite(n);
  int64_t* strides = strides_.data();
  const int64_t* sz = sizes_.data();
  int64_t running = 1;
  int64_t numel = 1;
  for (size_t i = n; i-- > 0;) {
    strides[i] = running;
    numel *= sz[i];
    running *= sz[i] > 1 ? sz[i] : 1;
  }
  numel_ = numel;
  is_contiguous_ = true;
}

void TensorImpl::refresh() {
  numel_ = 1;
  for (int64_t s : sizes_) numel_ *= s;
  // PyTorch's rule: dims of size 1 may have any stride; an empty tensor is contiguous.
  is_contiguous_ = true;
  if (numel_ == 0) return;
  int64_t expected = 1;
  for (size_t i = sizes_.size(); i-- > 0;) {
    if (sizes_[i] == 1) continue;
    if (strides_[i] != expected) {
      is_contiguous_ = false;
      return;
    }
    expected *= sizes_[i];
  }
}

const intrusive_ptr<VersionCounter>& TensorImpl::version_counter() const {
  EMBER_CHECK(version_, "Inference tensors do not track version counter. This tensor was created by ", creator_,
              " inside InferenceMode, so it has no version counter to read; clone() it outside InferenceMode "
              "to get a normal tensor.");
  return version_;
}

uint32_t TensorImpl::version() const { return version_counter()->current(); }

void TensorImpl::throw_inplace_update_of_inference_tensor(const char* op) const {
  detail::fail("Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get "
               "a normal tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more "
               "details. (Ember: ",
               op, " was called on a tensor of sizes ", sizes(), " created by ", creator_,
               " inside InferenceMode; clone() it outside InferenceMode to get a normal tensor.)");
}

}  // namespace ember
