/*
 * Python: a failed call raises the feedback.Error subclass the Python layer
 * registered for its status (feedback/_errors.py), with the library's
 * message and, where known, the field, line and byte offset.
 */
%{
/* status code -> exception class; set once by feedback._errors at import. */
static PyObject *fbb_py_errors = NULL;

/* Sets exc.name to value (a new reference, or NULL after an error); 0 or -1. */
static int fbb_py_set(PyObject *exc, const char *name, PyObject *value)
{
    int rc = value ? PyObject_SetAttrString(exc, name, value) : -1;
    Py_XDECREF(value);
    return rc;
}

static void fbb_py_raise(const fb_error *e)
{
    PyObject *key = PyLong_FromLong((long)e->code), *cls = NULL, *exc;

    if (key && fbb_py_errors)
        cls = PyDict_GetItem(fbb_py_errors, key); /* borrowed */
    Py_XDECREF(key);
    if (!cls)
        cls = PyExc_RuntimeError;
    exc = PyObject_CallFunction(cls, "s", e->message[0] ? e->message : fb_status_str(e->code));
    if (!exc)
        return; /* the call raised instead */
    if (cls != PyExc_RuntimeError &&
        (fbb_py_set(exc, "code", PyLong_FromLong((long)e->code)) != 0 ||
         fbb_py_set(exc, "field", PyUnicode_FromString(e->field)) != 0 ||
         fbb_py_set(exc, "line", PyLong_FromUnsignedLongLong(e->line)) != 0 ||
         fbb_py_set(exc, "offset", PyLong_FromUnsignedLongLong(e->offset)) != 0)) {
        Py_DECREF(exc);
        return;
    }
    PyErr_SetObject(cls, exc);
    Py_DECREF(exc);
}
%}

#define FBB_RAISE(e) fbb_py_raise(e)

/* A status is raised when it is an error, never returned. */
%typemap(out) fb_status {
    $result = SWIG_Py_Void();
}

/* Results come back as objects of their own, owned by Python. */
%typemap(argout) SWIGTYPE *out {
    $*1_ltype *copy = ($*1_ltype *)malloc(sizeof *copy);
    if (!copy) {
        PyErr_NoMemory();
        SWIG_fail;
    }
    *copy = *$1;
    $result = SWIG_Python_AppendOutput($result,
                                       SWIG_NewPointerObj(copy, $1_descriptor, SWIG_POINTER_OWN));
}

%inline %{
/* Registers the exception classes by status code (a dict), from feedback._errors. */
static void fbb_py_set_errors(PyObject *classes)
{
    Py_XINCREF(classes);
    Py_XDECREF(fbb_py_errors);
    fbb_py_errors = classes;
}
%}
