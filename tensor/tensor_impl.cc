#include "tensor/tensor_impl.h"

#include "tensor/check.h"

namespace ember {

namespace detail {

__thread TensorImplFreeList tensor_impl_free_list = {nullptr, 0, TensorImplFreeList::kUnregistered};

namespace {
// Its destructor runs at thread exit (for the main thread, before static
// destructors, whose tensors then go straight back to the system).
struct FreeListDrainer {
  ~FreeListDrainer() {
    TensorImplFreeList& list = tensor_impl_free_list;
    list.state = TensorImplFreeList::kDrained;
    while (list.head != nullptr) {
      void* p = list.head;
      list.head = *static_cast<void**>(p);
      ::operator delete(p, sizeof(TensorImpl));
    }
    list.count = 0;
  }
};
}  // namespace

void free_tensor_impl_slow(void* p, size_t size) noexcept {
  TensorImplFreeList& list = tensor_impl_free_list;
  if (kPoolTensorImpls && list.state == TensorImplFreeList::kUnregistered) {
    // The first free on this thread: arrange for the drain, then cache.
    static thread_local FreeListDrainer drainer;
    (void)drainer;
    list.state = TensorImplFreeList::kActive;
    *static_cast<void**>(p) = list.head;
    list.head = p;
    ++list.count;
    return;
  }
  ::operator delete(p, size);
}

}  // namespace detail

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
  geometry_.set(sizes, strides);
  refresh();
}

void TensorImpl::refresh() {
  numel_ = product(geometry_.sizes());
  refresh_contiguity();
}

void TensorImpl::refresh_contiguity() {
  // PyTorch's rule: dims of size 1 may have any stride; an empty tensor is contiguous.
  is_contiguous_ = true;
  if (numel_ == 0) return;
  const int64_t* sizes = geometry_.size_data();
  const int64_t* strides = geometry_.stride_data();
  int64_t expected = 1;
  for (size_t i = geometry_.dim(); i-- > 0;) {
    if (sizes[i] == 1) continue;
    if (strides[i] != expected) {
      is_contiguous_ = false;
      return;
    }
    expected *= sizes[i];
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
