/*
 * Python: the rest of a reader as columns, for feedback.to_pandas. Numbers
 * come as their C arrays, handed over without a copy (numpy.frombuffer
 * reads them in place); categories as (codes, values), for a categorical;
 * identifiers, texts, tags and attributes as numpy arrays of objects, one
 * str or tuple per value of the column's dictionary shared by the rows that
 * hold it, a dict per row with attributes: built here in C, as no Python
 * code (nor numpy's indexing, which takes longer) runs per record.
 */
%{
#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/arrayobject.h>

/* numpy's C API, imported by the first frame made: the package imports without numpy. */
static int fbb_py_numpy(void)
{
    return PyArray_API ? 0 : _import_array();
}

/*
 * A numpy array of rows objects: out[i] is objects[codes[i]], or None for
 * a code of -1, each a reference of its own; NULL with an exception set.
 */
static PyObject *fbb_py_objects(const int32_t *codes, size_t rows, PyObject *const *objects)
{
    npy_intp n = (npy_intp)rows;
    PyObject *a, **out;
    size_t i;

    if (fbb_py_numpy() < 0 || !(a = PyArray_SimpleNew(1, &n, NPY_OBJECT)))
        return NULL;
    out = (PyObject **)PyArray_DATA((PyArrayObject *)a);
    for (i = 0; i < rows; i++) {
        PyObject *o = codes[i] < 0 ? Py_None : objects[codes[i]], *old = out[i];
        Py_INCREF(o);
        out[i] = o;
        Py_XDECREF(old); /* numpy leaves NULL, or None, in a new array of objects */
    }
    return a;
}

/*
 * A column's array that Python reads and writes through the buffer protocol
 * and frees with the last view of it: handed to numpy without a copy.
 */
typedef struct fbb_py_block {
    PyObject_HEAD
    fbb_buf buf;
} fbb_py_block;

static int fbb_py_block_getbuffer(PyObject *self, Py_buffer *view, int flags)
{
    fbb_py_block *b = (fbb_py_block *)self;
    static char empty;
    /* Writable: the block is the array's alone, and a frame's columns may be changed in place. */
    return PyBuffer_FillInfo(view, self, b->buf.data ? b->buf.data : &empty,
                             (Py_ssize_t)b->buf.len, 0, flags);
}

static void fbb_py_block_dealloc(PyObject *self)
{
    fbb_buf_free(&((fbb_py_block *)self)->buf);
    Py_TYPE(self)->tp_free(self);
}

static PyBufferProcs fbb_py_block_buffer = {fbb_py_block_getbuffer, NULL};

static PyTypeObject fbb_py_block_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    "feedback._feedback.Block",     /* tp_name */
    sizeof(fbb_py_block),           /* tp_basicsize */
};

/* The array of column col, taken from c, as a Block; NULL with an exception set. */
static PyObject *fbb_py_take(fbb_columns *c, fbb_column col)
{
    fbb_py_block *b;

    if (!fbb_py_block_type.tp_flags) {
        fbb_py_block_type.tp_flags = Py_TPFLAGS_DEFAULT;
        fbb_py_block_type.tp_doc = "A column's array, read through the buffer protocol.";
        fbb_py_block_type.tp_dealloc = fbb_py_block_dealloc;
        fbb_py_block_type.tp_as_buffer = &fbb_py_block_buffer;
        if (PyType_Ready(&fbb_py_block_type) < 0) {
            fbb_py_block_type.tp_flags = 0;
            return NULL;
        }
    }
    b = PyObject_New(fbb_py_block, &fbb_py_block_type);
    if (!b)
        return NULL;
    b->buf = fbb_columns_take(c, col);
    return (PyObject *)b;
}

/* The distinct strings of a column, as a list of str by code. */
static PyObject *fbb_py_dict_values(const fbb_columns *c, fbb_column col)
{
    size_t i, n = fbb_columns_dict_size(c, col);
    PyObject *list = PyList_New((Py_ssize_t)n);

    for (i = 0; list && i < n; i++) {
        PyObject *s = fbb_py_str(fbb_columns_dict_at(c, col, i));
        if (!s) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, s);
    }
    return list;
}

/* Distinct list code of column col as a tuple of str (LIST) or a dict (PAIRS). */
static PyObject *fbb_py_list_at(const fbb_columns *c, fbb_column col, PyObject *strings,
                                size_t code, bool pairs)
{
    size_t n, k;
    const int32_t *items = fbb_columns_list_at(c, col, code, &n);
    PyObject *o = pairs ? PyDict_New() : PyTuple_New((Py_ssize_t)n);

    for (k = 0; o && pairs && k + 1 < n; k += 2)
        if (PyDict_SetItem(o, PyList_GET_ITEM(strings, items[k]),
                           PyList_GET_ITEM(strings, items[k + 1])) != 0)
            Py_CLEAR(o);
    for (k = 0; o && !pairs && k < n; k++) {
        PyObject *s = PyList_GET_ITEM(strings, items[k]);
        Py_INCREF(s);
        PyTuple_SET_ITEM(o, (Py_ssize_t)k, s);
    }
    return o;
}

/* The distinct lists of column col, by code, as fbb_py_list_at makes them. */
static PyObject *fbb_py_list_values(const fbb_columns *c, fbb_column col, bool pairs)
{
    PyObject *strings = fbb_py_dict_values(c, col), *values = NULL;
    size_t i, n = fbb_columns_lists(c, col);

    if (strings)
        values = PyList_New((Py_ssize_t)n);
    for (i = 0; values && i < n; i++) {
        PyObject *o = fbb_py_list_at(c, col, strings, i, pairs);
        if (!o)
            Py_CLEAR(values);
        else
            PyList_SET_ITEM(values, (Py_ssize_t)i, o);
    }
    Py_XDECREF(strings);
    return values;
}

/*
 * The rows of a column of codes into values (a list of objects by code),
 * as fbb_py_objects makes them; with pairs, each row a copy of its dict (a
 * dict can change, and rows must not change one another's), or None for a
 * row without any: most rows have none, and a million empty dicts would
 * cost more than the rest of the column. Steals values.
 */
static PyObject *fbb_py_rows(const fbb_columns *c, fbb_column col, PyObject *values, bool pairs)
{
    size_t rows = fbb_columns_rows(c), i, bytes;
    const int32_t *codes = fbb_columns_data(c, col, &bytes);
    PyObject *a = NULL, **out;

    if (values)
        a = fbb_py_objects(codes, rows, PySequence_Fast_ITEMS(values));
    Py_XDECREF(values);
    if (!a || !pairs)
        return a;
    out = (PyObject **)PyArray_DATA((PyArrayObject *)a);
    for (i = 0; i < rows; i++) {
        PyObject *d = out[i];
        if (d == Py_None)
            continue;
        if (PyDict_GET_SIZE(d) == 0) {
            Py_INCREF(Py_None);
            out[i] = Py_None;
        } else if (!(out[i] = PyDict_Copy(d))) {
            Py_INCREF(Py_None);
            out[i] = Py_None; /* the array stays whole for its deallocation */
            Py_DECREF(d);
            Py_DECREF(a);
            return NULL;
        }
        Py_DECREF(d);
    }
    return a;
}

/* Column col as (kind, data...), its arrays taken from c (see to_pandas in feedback/_pandas.py). */
static PyObject *fbb_py_column(fbb_columns *c, fbb_column col)
{
    switch (fbb_column_type_of(col)) {
    case FBB_TYPE_U64: return Py_BuildValue("(sN)", "u64", fbb_py_take(c, col));
    case FBB_TYPE_I64: return Py_BuildValue("(sN)", "i64", fbb_py_take(c, col));
    case FBB_TYPE_F64: return Py_BuildValue("(sN)", "f64", fbb_py_take(c, col));
    case FBB_TYPE_U8: return Py_BuildValue("(sN)", "u8", fbb_py_take(c, col));
    case FBB_TYPE_DICT:
        return Py_BuildValue("(sNN)", "dict", fbb_py_take(c, col), fbb_py_dict_values(c, col));
    case FBB_TYPE_STRINGS:
    case FBB_TYPE_TEXT:
        return Py_BuildValue("(sN)", "objects", fbb_py_rows(c, col, fbb_py_dict_values(c, col),
                                                           false));
    case FBB_TYPE_LIST:
        return Py_BuildValue("(sN)", "objects",
                             fbb_py_rows(c, col, fbb_py_list_values(c, col, false), false));
    default:
        return Py_BuildValue("(sN)", "objects",
                             fbb_py_rows(c, col, fbb_py_list_values(c, col, true), true));
    }
}
%}

%inline %{
/*
 * Reads the rest of reader into {column name: (kind, data...)}; wanted: bits
 * 1 << column index (fbb_column) of the columns to read; threads as for
 * fbb_columns_read.
 */
static PyObject *fbb_py_read_columns(fbb_reader *reader, unsigned long long wanted,
                                     unsigned threads)
{
    fb_error err;
    fbb_columns *c;
    PyObject *out;
    int pass, col, settled = 0;

    fb_error_clear(&err);
    /* The decoding takes no Python object: other threads run meanwhile (to_pandas keeps
     * them off this reader). */
    Py_BEGIN_ALLOW_THREADS
    c = fbb_columns_read_early(reader, (uint64_t)wanted, threads, &err);
    Py_END_ALLOW_THREADS
    if (!c) {
        fbb_py_raise(&err);
        return NULL;
    }
    /*
     * The objects of the strings and lists first, while the numbers of a log
     * read in parts are still being joined on another core; then the numbers.
     */
    out = PyDict_New();
    for (pass = 0; out && pass < 2; pass++) {
        if (pass == 1) {
            Py_BEGIN_ALLOW_THREADS
            settled = fbb_columns_settle(c);
            Py_END_ALLOW_THREADS
            if (settled != 0) {
                Py_CLEAR(out);
                PyErr_NoMemory();
                break;
            }
        }
        for (col = 0; out && col < FBB_COL_COUNT; col++) {
            PyObject *v;
            if (!fbb_columns_has(c, (fbb_column)col) ||
                fbb_column_is_number((fbb_column)col) != (pass == 1))
                continue;
            v = fbb_py_column(c, (fbb_column)col);
            if (!v || PyDict_SetItemString(out, fbb_column_name((fbb_column)col), v) != 0)
                Py_CLEAR(out);
            Py_XDECREF(v);
        }
    }
    if (out) {
        PyObject *rows = PyLong_FromSize_t(fbb_columns_rows(c));
        if (!rows || PyDict_SetItemString(out, "__rows__", rows) != 0)
            Py_CLEAR(out);
        Py_XDECREF(rows);
    }
    Py_BEGIN_ALLOW_THREADS
    fbb_columns_free(c); /* settles first, if a failure left the numbers running */
    Py_END_ALLOW_THREADS
    return out;
}

/* The names of the columns, by index (fbb_column). */
static const char *fbb_py_column_name(int col) { return fbb_column_name((fbb_column)col); }
static int fbb_py_column_count(void) { return FBB_COL_COUNT; }
%}
