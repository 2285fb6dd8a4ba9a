// TensorImpl: what a tensor is underneath its handle.
//
// A TensorImpl is a strided view of a Storage: element (i0, i1, ...) lives at
// storage_offset + sum(i_k * strides[k]) elements into the storage. It also
// carries the dtype, the DispatchKeySet that routes ops on it (see
// tensor/dispatcher.h), a VersionCounter shared by a base and all its views
// (bumped by in-place ops so that autograd can notice a saved tensor changed),
// and a slot for autograd metadata that //autograd fills.
//
// Inference tensors (made while InferenceMode is enabled) carry only the
// backend key and no version counter: reading the version throws, and so does
// bumping it outside InferenceMode.
//
//   ember::Tensor x = ember::zeros({2, 3});
//   ember::TensorImpl* impl = x.unsafeGetTensorImpl();
//   impl->sizes();            // [2, 3]
//   impl->strides();          // [3, 1]
//   impl->bump_version();     // x._version() == 1, and every view sees it
#ifndef EMBER_TENSOR_TENSOR_IMPL_H_
#define EMBER_TENSOR_TENSOR_IMPL_H_

#include <cstdint>
#include <memory>
#include <utility>

#include "modes/dispatch_key_set.h"
#include "modes/inference_mode.h"
#include "tensor/array_ref.h"
#include "tensor/intrusive_ptr.h"
#include "tensor/scalar_type.h"
#include "tensor/sizes_and_strides.h"
#include "tensor/storage.h"

namespace ember {

// One counter shared by a base tensor and all its views.
class VersionCounter final : public intrusive_ptr_target {
 public:
  uint32_t current() const { return version_.load(std::memory_order_relaxed); }
  void bump() { version_.fetch_add(1, std::memory_order_relaxed); }

 private:
  std::atomic<uint32_t> version_{0};
};

// The autograd metadata of one tensor. Defined by //autograd; //tensor only
// owns it (so that it dies with the tensor) and copies none of it.
class AutogradMetaInterface {
 public:
  virtual ~AutogradMetaInterface() = default;
  virtual bool requires_grad() const = 0;
};

namespace detail {
// Note [TensorImpl free list]
// Every op allocates a TensorImpl and most free one; glibc's malloc + free
// were a fifth of a view's time. Each thread keeps up to kMaxFreeTensorImpls freed
// TensorImpl blocks in a list threaded through the blocks themselves and
// hands them out again: a pop and a push, no call, no lock. A block may be
// freed by another thread than the one that allocated it; it then joins
// that thread's list. At thread exit the list is returned to the system and
// the thread stops caching (state kDrained). Not under ASan, which must see
// every free to catch a use after it.
struct TensorImplFreeList {
  enum State : int32_t { kUnregistered = 0, kActive = 1, kDrained = 2 };
  void* head;
  int32_t count;
  int32_t state;
};
// __thread, not thread_local: a POD read in place, without the wrapper call
// an extern thread_local costs in other translation units.
extern __thread TensorImplFreeList tensor_impl_free_list;
constexpr int32_t kMaxFreeTensorImpls = 64;
void free_tensor_impl_slow(void* p, size_t size) noexcept;
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kPoolTensorImpls = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kPoolTensorImpls = false;
#else
constexpr bool kPoolTensorImpls = true;
#endif
#else
constexpr bool kPoolTensorImpls = true;
#endif
}  // namespace detail

class TensorImpl final : public intrusive_ptr_target {
 public:
  // See Note [TensorImpl free list].
  static void* operator new(size_t size) {
    detail::TensorImplFreeList& list = detail::tensor_impl_free_list;
    if (detail::kPoolTensorImpls && list.head != nullptr) {
      void* p = list.head;
      list.head = *static_cast<void**>(p);
      --list.count;
      return p;
    }
    return ::operator new(size);
  }
  static void operator delete(void* p, size_t size) noexcept {
    detail::TensorImplFreeList& list = detail::tensor_impl_free_list;
    if (detail::kPoolTensorImpls && list.state == detail::TensorImplFreeList::kActive &&
        list.count < detail::kMaxFreeTensorImpls) {
      *static_cast<void**>(p) = list.head;
      list.head = p;
      ++list.count;
      return;
    }
    detail::free_tensor_impl_slow(p, size);
  }

  // A tensor over `storage` with the given geometry. `version` is null for an
  // inference tensor; `creator` names the op that made it (a string literal,
  // used only in error messages).
  TensorImpl(Storage storage, ScalarType dtype, DispatchKeySet key_set, intrusive_ptr<VersionCounter> version,
             const char* creator)
      : storage_(std::move(storage)),
        version_(std::move(version)),
        creator_(creator),
        key_set_(key_set),
        dtype_(dtype) {}

  // A view of `base`: its storage, storage offset, dtype, key set, creator and
  // version counter (none for an inference tensor, so a view of one is one
  // too), and a copy of its geometry that the view op then changes. Inline:
  // it is every view op's allocation, and copying the handles directly costs
  // one reference-count increment each and no temporaries.
  struct ViewOf {};
  TensorImpl(ViewOf, const TensorImpl& base)
      : storage_(base.storage_),
        storage_offset_(base.storage_offset_),
        geometry_(base.geometry_),
        numel_(base.numel_),
        version_(base.version_),
        creator_(base.creator_),
        key_set_(base.key_set_),
        dtype_(base.dtype_),
        is_contiguous_(base.is_contiguous_) {}
  // The same without the geometry, for a view op that sets all of it.
  struct ViewOfStorage {};
  TensorImpl(ViewOfStorage, const TensorImpl& base)
      : storage_(base.storage_),
        storage_offset_(base.storage_offset_),
        version_(base.version_),
        creator_(base.creator_),
        key_set_(base.key_set_),
        dtype_(base.dtype_) {}
  // A contiguous view of `base` (view() of a contiguous tensor), each field
  // written once: the cheapest tensor there is.
  TensorImpl(ViewOfStorage, const TensorImpl& base, IntArrayRef contiguous_sizes)
      : storage_(base.storage_),
        storage_offset_(base.storage_offset_),
        geometry_(SizesAndStrides::Contiguous{}, contiguous_sizes),
        numel_(product(contiguous_sizes)),
        version_(base.version_),
        creator_(base.creator_),
        key_set_(base.key_set_),
        dtype_(base.dtype_) {}

  IntArrayRef sizes() const { return geometry_.sizes(); }
  IntArrayRef strides() const { return geometry_.strides(); }
  int64_t size(int64_t dim) const { return geometry_.size_data()[dim]; }
  int64_t stride(int64_t dim) const { return geometry_.stride_data()[dim]; }
  int64_t dim() const { return static_cast<int64_t>(geometry_.dim()); }
  int64_t numel() const { return numel_; }
  int64_t storage_offset() const { return storage_offset_; }
  bool is_contiguous() const { return is_contiguous_; }
  ScalarType dtype() const { return dtype_; }
  size_t itemsize() const { return elementSize(dtype_); }
  DispatchKeySet key_set() const { return key_set_; }
  const Storage& storage() const { return storage_; }
  const char* creator() const { return creator_; }

  // The first element's address.
  void* data() const {
    return static_cast<char*>(storage_.data()) + storage_offset_ * static_cast<int64_t>(itemsize());
  }

  // Sets sizes and strides together, recomputing numel and contiguity.
  void set_sizes_and_strides(IntArrayRef sizes, IntArrayRef strides);
  // Sets sizes with contiguous strides. Inline: on every op's path (one pass,
  // no fill of the strides before writing them).
  void set_sizes_contiguous(IntArrayRef sizes) {
    numel_ = geometry_.set_contiguous(sizes);
    is_contiguous_ = true;
  }
  // Swaps two dims' sizes and strides (transpose); numel is unchanged.
  void swap_dims(int64_t d0, int64_t d1) {
    if (d0 == d1) return;
    std::swap(geometry_.size_data()[d0], geometry_.size_data()[d1]);
    std::swap(geometry_.stride_data()[d0], geometry_.stride_data()[d1]);
    refresh_contiguity();
  }
  void set_storage_offset(int64_t offset) { storage_offset_ = offset; }
  // Points this tensor at other bytes (resizing an out= tensor); views made
  // earlier keep the old storage.
  void set_storage(Storage storage, int64_t offset) {
    storage_ = std::move(storage);
    storage_offset_ = offset;
  }

  bool is_inference() const { return !key_set_.has_any(autograd_dispatch_keyset_with_ADInplaceOrView); }

  // The shared counter; throws for an inference tensor.
  const intrusive_ptr<VersionCounter>& version_counter() const;
  // Gives a tensor that has a counter a new one at 0, shared with nothing
  // (Tensor::data(): writes through it do not show in the original's version).
  void detach_version_counter() {
    if (version_) version_ = make_intrusive<VersionCounter>();
  }
  // The version; throws "Inference tensors do not track version counter".
  uint32_t version() const;
  // Marks an in-place update. For an inference tensor: a no-op inside
  // InferenceMode, an error outside it (which is how in-place updates of
  // inference tensors are refused). `op` names the op in that error.
  void bump_version(const char* op = "an in-place op") {
    if (version_) {
      version_->bump();
    } else if (!InferenceMode::is_enabled()) {
      throw_inplace_update_of_inference_tensor(op);
    }
  }
  [[noreturn]] void throw_inplace_update_of_inference_tensor(const char* op) const;

  AutogradMetaInterface* autograd_meta() const { return autograd_meta_.get(); }
  void set_autograd_meta(std::unique_ptr<AutogradMetaInterface> meta) { autograd_meta_ = std::move(meta); }

 private:
  void refresh();
  void refresh_contiguity();
  static int64_t product(IntArrayRef sizes) {
    int64_t n = 1;
    for (int64_t s : sizes) n *= s;
    return n;
  }

  Storage storage_;
  int64_t storage_offset_ = 0;
  SizesAndStrides geometry_;
  int64_t numel_ = 1;  // after geometry_, which the contiguous view's initialises first
  intrusive_ptr<VersionCounter> version_;
  std::unique_ptr<AutogradMetaInterface> autograd_meta_;
  const char* creator_;
  DispatchKeySet key_set_;
  ScalarType dtype_;
  bool is_contiguous_ = true;
};

// Contiguous (row-major) strides for `sizes`.
DimVector contiguous_strides(IntArrayRef sizes);

}  // namespace ember

#endif  // EMBER_TENSOR_TENSOR_IMPL_H_
