// Storage: a refcounted block of bytes that tensors view.
//
// A base tensor and all its views hold the same StorageImpl; the bytes are
// freed when the last of them goes. The bytes come from an Allocator, or from
// user memory (from_blob) with an optional deleter.
//
//   ember::Storage s = ember::Storage::allocate(16);   // CPU allocator
//   ember::Storage t = s;                              // same bytes, use_count() == 2
#ifndef EMBER_TENSOR_STORAGE_H_
#define EMBER_TENSOR_STORAGE_H_

#include <cstddef>

#include "tensor/allocator.h"
#include "tensor/intrusive_ptr.h"

namespace ember {

class StorageImpl final : public intrusive_ptr_target {
 public:
  StorageImpl(DataPtr data, size_t nbytes) : data_(std::move(data)), nbytes_(nbytes) {}
  void* data() const { return data_.get(); }
  size_t nbytes() const { return nbytes_; }
  const DataPtr& data_ptr() const { return data_; }

 private:
  DataPtr data_;
  size_t nbytes_;
};

class Storage final {
 public:
  Storage() = default;
  explicit Storage(intrusive_ptr<StorageImpl> impl) : impl_(std::move(impl)) {}
  static Storage allocate(size_t nbytes, Allocator* allocator = cpu_allocator()) {
    return Storage(make_intrusive<StorageImpl>(allocator->allocate(nbytes), nbytes));
  }
  // Wraps memory Ember does not own; `deleter(ctx)` runs when the last user goes.
  static Storage wrap(void* data, size_t nbytes, void* ctx, DeleterFn deleter) {
    return Storage(make_intrusive<StorageImpl>(DataPtr(data, ctx, deleter), nbytes));
  }

  void* data() const { return impl_->data(); }
  size_t nbytes() const { return impl_ ? impl_->nbytes() : 0; }
  uint32_t use_count() const { return impl_.use_count(); }
  bool is_alias_of(const Storage& other) const { return impl_ == other.impl_; }
  StorageImpl* unsafeGetStorageImpl() const { return impl_.get(); }
  explicit operator bool() const { return static_cast<bool>(impl_); }

 private:
  intrusive_ptr<StorageImpl> impl_;
};

}  // namespace ember

#endif  // EMBER_TENSOR_STORAGE_H_
