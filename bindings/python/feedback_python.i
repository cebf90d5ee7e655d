/* The Python module: feedback._swig, its C part feedback._feedback (swig -interface). */
%module(package="feedback") _swig

%{
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fbb.h"
%}

%include "errors.i"
%include "records.i"
%include "../feedback.i"
%include "columns.i"
