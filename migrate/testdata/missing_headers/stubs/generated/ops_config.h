#pragma once
#define OPS_BATCH 8
