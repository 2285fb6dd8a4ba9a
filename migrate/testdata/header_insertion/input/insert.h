#pragma once
#include <vector>
int predict(const std::vector<int>& batch);
