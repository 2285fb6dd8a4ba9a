// TensorImpl: geometry, contiguity, version counters, inference tensors.
#include "tensor/tensor_impl.h"

#include "gtest/gtest.h"
#include "modes/inference_mode.h"
#include "modes/kernel_guards.h"
#include "tensor/tensor.h"
#include "tensor/testing.h"

namespace ember {
namespace {

TEST(TensorImplTest, NewTensorsAreContiguousRowMajor) {
  Tensor t = zeros({2, 3, 4});
  EXPECT_EQ(t.strides(), IntArrayRef({12, 4, 1}));
  EXPECT_TRUE(t.is_contiguous());
  EXPECT_EQ(t.numel(), 24);
  EXPECT_EQ(t.storage_offset(), 0);
}

TEST(TensorImplTest, ContiguityIgnoresSizeOneDimsAndEmptyTensors) {
  EXPECT_TRUE(ones({2, 1, 3}).transpose(0, 1).is_contiguous());
  EXPECT_FALSE(ones({2, 3}).t().is_contiguous());
  EXPECT_TRUE(ones({0, 3}).t().is_contiguous());
  EXPECT_FALSE(ones({4, 4}).slice(1, 0, 4, 2).is_contiguous());
}

TEST(TensorImplTest, TensorsOfMoreThanFiveDimsKeepTheirGeometryThroughViews) {
  // Five dims are held inline; more go to the heap, and views cross between.
  Tensor t = arange(2 * 3 * 2 * 1 * 2 * 3 * 2).view({2, 3, 2, 1, 2, 3, 2});
  EXPECT_EQ(t.strides(), IntArrayRef({72, 24, 12, 12, 6, 2, 1}));
  Tensor flat = t.view({6, 24});
  EXPECT_EQ(flat.strides(), IntArrayRef({24, 1}));
  Tensor back = flat.view({2, 3, 2, 1, 2, 3, 2});
  EXPECT_EQ(back.sizes(), t.sizes());
  Tensor swapped = t.transpose(0, 6);
  EXPECT_EQ(swapped.sizes(), IntArrayRef({2, 3, 2, 1, 2, 3, 2}));
  EXPECT_EQ(swapped.strides(), IntArrayRef({1, 24, 12, 12, 6, 2, 72}));
  EXPECT_FALSE(swapped.is_contiguous());
  auto at = [](Tensor x, std::initializer_list<int64_t> index) {
    for (int64_t i : index) x = x.select(0, i);
    return x.item<int64_t>();
  };
  EXPECT_EQ(at(swapped, {1, 0, 0, 0, 0, 0, 0}), 1);   // t[0, ..., 0, 1]
  EXPECT_EQ(at(swapped, {0, 0, 0, 0, 0, 0, 1}), 72);  // t[1, 0, ..., 0]
  EXPECT_EQ(at(swapped, {1, 2, 1, 0, 1, 2, 1}), 143);
  EXPECT_EQ(t.sizes(), IntArrayRef({2, 3, 2, 1, 2, 3, 2}));  // the base is unchanged
}

TEST(TensorImplTest, HandlesAreCheapCopiesOfOneImpl) {
  Tensor a = ones({2});
  Tensor b = a;
  EXPECT_TRUE(a.is_same(b));
  EXPECT_EQ(a.use_count(), 2u);
}

TEST(VersionCounterTest, StartsAtZeroAndBumps) {
  Tensor t = zeros({2});
  EXPECT_EQ(t._version(), 0);
  t.unsafeGetTensorImpl()->bump_version();
  EXPECT_EQ(t._version(), 1);
}

TEST(VersionCounterTest, IsSharedByABaseAndAllItsViews) {
  Tensor base = zeros({2, 3});
  Tensor v1 = base.view({6});
  Tensor v2 = base.t().select(0, 1);
  v2.unsafeGetTensorImpl()->bump_version();
  EXPECT_EQ(base._version(), 1);
  EXPECT_EQ(v1._version(), 1);
  base.unsafeGetTensorImpl()->bump_version();
  EXPECT_EQ(v2._version(), 2);
}

TEST(VersionCounterTest, IsNotSharedByAClone) {
  Tensor base = zeros({2});
  Tensor c = base.clone();
  c.unsafeGetTensorImpl()->bump_version();
  EXPECT_EQ(base._version(), 0);
}

TEST(InferenceTensorTest, FactoryOutsideInferenceModeGivesANormalTensor) {
  Tensor t = ones({2});
  EXPECT_FALSE(t.is_inference());
  EXPECT_EQ(t.key_set(), normal_tensor_keyset(DispatchKey::CPU));
}

TEST(InferenceTensorTest, FactoryInsideInferenceModeGetsOnlyTheBackendKey) {
  InferenceMode guard;
  Tensor t = ones({2});
  EXPECT_TRUE(t.is_inference());
  EXPECT_EQ(t.key_set(), DispatchKeySet(DispatchKey::CPU));
}

TEST(InferenceTensorTest, FunctionalOpInsideInferenceModeGivesAnInferenceTensor) {
  Tensor a = ones({2});
  InferenceMode guard;
  EXPECT_TRUE((a + a).is_inference());
}

TEST(InferenceTensorTest, FunctionalOpOnAnInferenceTensorOutsideGivesANormalTensor) {
  Tensor a;
  {
    InferenceMode guard;
    a = ones({2});
  }
  Tensor b = a * 2;
  EXPECT_FALSE(b.is_inference());
  EXPECT_EQ(b._version(), 0);
}

TEST(InferenceTensorTest, ViewOfAnInferenceTensorIsAnInferenceTensor) {
  Tensor a;
  {
    InferenceMode guard;
    a = ones({2, 3});
  }
  EXPECT_TRUE(a.view({6}).is_inference());
  EXPECT_TRUE(a.t().is_inference());
  EXPECT_TRUE(a.select(0, 1).is_inference());
}

TEST(InferenceTensorTest, ViewOfANormalTensorInsideInferenceModeIsNormal) {
  Tensor a = ones({2, 3});
  InferenceMode guard;
  Tensor v = a.view({6});
  EXPECT_FALSE(v.is_inference());
  v.unsafeGetTensorImpl()->bump_version();
  EXPECT_EQ(a._version(), 1);
}

TEST(InferenceTensorTest, ReadingTheVersionThrowsWithItsOrigin) {
  Tensor a;
  {
    InferenceMode guard;
    a = zeros({2});
  }
  EXPECT_EMBER_ERROR(a._version(), HAS("Inference tensors do not track version counter."), HAS("zeros"),
                     HAS("clone() it outside InferenceMode to get a normal tensor"));
}

TEST(InferenceTensorTest, BumpingOutsideInferenceModeThrowsWithOpAndOrigin) {
  Tensor a;
  {
    InferenceMode guard;
    a = ones({2});
  }
  EXPECT_EMBER_ERROR(a.unsafeGetTensorImpl()->bump_version("add_"),
                     HAS("Inplace update to inference tensor outside InferenceMode is not allowed.You can make a "
                         "clone to get a normal tensor before doing inplace update.See "
                         "https://github.com/pytorch/rfcs/pull/17 for more details."),
                     HAS("add_ was called"), HAS("created by ones"), HAS("clone() it outside InferenceMode"));
}

TEST(InferenceTensorTest, BumpingInsideInferenceModeIsANoOp) {
  InferenceMode guard;
  Tensor a = ones({2});
  EXPECT_NO_THROW(a.unsafeGetTensorImpl()->bump_version());
}

TEST(InferenceTensorTest, FactoryUnderKernelGuardsGivesANormalTensor) {
  AutoDispatchBelowADInplaceOrView guard;
  EXPECT_FALSE(ones({1}).is_inference());
}

TEST(InferenceTensorTest, InPlaceOnANormalTensorInsideInferenceModeKeepsItNormal) {
  Tensor a = ones({2});
  {
    InferenceMode guard;
    a.add_(1);
    a.unsafeGetTensorImpl()->bump_version();
  }
  EXPECT_FALSE(a.is_inference());
  EXPECT_EQ(a._version(), 1);
}

}  // namespace
}  // namespace ember
