#pragma once
typedef struct _object { int refcount; } PyObject;
extern PyObject* const Py_None;
