/*
 * Python: the rest of a reader as columns, for feedback.to_pandas. Numbers
 * come as their C arrays, handed over without a copy (numpy.frombuffer
 * reads them in place); strings coded through a dictionary as (codes,
 * values), for a categorical or, for texts, an array of str that rows
 * share; tags as (codes, one tuple per distinct list); attributes as a
 * list of dicts, one per row, built here in C: no Python code runs per
 * record.
 */
%{
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
 * PAIRS: a dict per row, a copy of its distinct list's (rows may share a
 * tuple of tags, but each needs a dict of its own, as a dict can change),
 * or None for a row without any: most rows have none, and a million empty
 * dicts would cost more than the rest of the column.
 */
static PyObject *fbb_py_dicts(const fbb_columns *c, fbb_column col)
{
    size_t rows = fbb_columns_rows(c), i, bytes;
    const int32_t *codes = fbb_columns_data(c, col, &bytes);
    PyObject *values = fbb_py_list_values(c, col, true), *list = NULL;

    if (values)
        list = PyList_New((Py_ssize_t)rows);
    for (i = 0; list && i < rows; i++) {
        PyObject *d = PyList_GET_ITEM(values, codes[i]);
        if (PyDict_GET_SIZE(d) == 0) {
            Py_INCREF(Py_None);
            d = Py_None;
        } else if (!(d = PyDict_Copy(d))) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, d);
    }
    Py_XDECREF(values);
    return list;
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
        return Py_BuildValue("(sNN)", "strings", fbb_py_take(c, col), fbb_py_dict_values(c, col));
    case FBB_TYPE_LIST:
        return Py_BuildValue("(sNN)", "lists", fbb_py_take(c, col),
                             fbb_py_list_values(c, col, false));
    default: return Py_BuildValue("(sN)", "objects", fbb_py_dicts(c, col));
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
    int col;

    fb_error_clear(&err);
    c = fbb_columns_read(reader, (uint64_t)wanted, threads, &err);
    if (!c) {
        fbb_py_raise(&err);
        return NULL;
    }
    out = PyDict_New();
    for (col = 0; out && col < FBB_COL_COUNT; col++) {
        PyObject *v;
        if (!fbb_columns_has(c, (fbb_column)col))
            continue;
        v = fbb_py_column(c, (fbb_column)col);
        if (!v || PyDict_SetItemString(out, fbb_column_name((fbb_column)col), v) != 0)
            Py_CLEAR(out);
        Py_XDECREF(v);
    }
    if (out) {
        PyObject *rows = PyLong_FromSize_t(fbb_columns_rows(c));
        if (!rows || PyDict_SetItemString(out, "__rows__", rows) != 0)
            Py_CLEAR(out);
        Py_XDECREF(rows);
    }
    fbb_columns_free(c);
    return out;
}

/* The names of the columns, by index (fbb_column). */
static const char *fbb_py_column_name(int col) { return fbb_column_name((fbb_column)col); }
static int fbb_py_column_count(void) { return FBB_COL_COUNT; }
%}
