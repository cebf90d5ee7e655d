/*
 * Lua: a failed call raises a Lua error whose value is the library's
 * message ("channel: unknown channel 'emial' (did you mean 'email'?)"),
 * led by the line of a CSV or JSON Lines input where there is one.
 */
%{
static void fbb_lua_raise(lua_State *L, const fb_error *e)
{
    const char *msg = e->message[0] ? e->message : fb_status_str(e->code);

    if (e->line)
        lua_pushfstring(L, "line %d: %s", (int)e->line, msg);
    else
        lua_pushstring(L, msg);
}
%}

#define FBB_RAISE(e) fbb_lua_raise(L, e)

/* A status is raised when it is an error, never returned. */
%typemap(out) fb_status ""

/* Results come back as objects of their own, owned by Lua. */
%typemap(argout) SWIGTYPE *out {
    $*1_ltype *copy = ($*1_ltype *)malloc(sizeof *copy);
    if (!copy) {
        lua_pushstring(L, "out of memory");
        SWIG_fail;
    }
    *copy = *$1;
    SWIG_NewPointerObj(L, copy, $1_descriptor, 1);
    SWIG_arg++;
}

/* Whole numbers stay Lua integers (SWIG's defaults would make them floats). */
%typemap(out) int, unsigned, long, size_t, uint32_t, int64_t, uint64_t, fb_time {
    lua_pushinteger(L, (lua_Integer)$1);
    SWIG_arg++;
}
%typemap(in, checkfn="lua_isinteger") int, unsigned, long, size_t, uint32_t, int64_t, uint64_t,
    fb_time {
    $1 = ($1_ltype)lua_tointeger(L, $input);
}
