// //autograd's public API in one include: Tensor's autograd methods work once
// //autograd is linked; this header adds what is not a Tensor method.
//
//   #include "autograd/autograd.h"
//   Tensor w = ember::randn({3, 3}).set_requires_grad(true);
//   Tensor loss = (x.mm(w).relu() * 2).sum();
//   loss.backward();                                             // w.grad()
//   auto g = ember::autograd::grad({loss2}, {w});                // or returned
//   std::cout << loss.grad_fn()->name();                         // "SumBackward0"
#ifndef EMBER_AUTOGRAD_AUTOGRAD_H_
#define EMBER_AUTOGRAD_AUTOGRAD_H_

#include "autograd/autograd_meta.h"
#include "autograd/engine.h"
#include "autograd/node.h"
#include "tensor/tensor.h"

#endif  // EMBER_AUTOGRAD_AUTOGRAD_H_
