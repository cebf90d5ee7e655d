/* The Lua module: require "feedback" loads feedback.so; layer.i makes it feel native. */
%module feedback

%{
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fbb.h"
%}

%include "errors.i"
%include "records.i"
%include "../feedback.i"
%include "layer.i"
