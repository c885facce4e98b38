// Command gopher-lua-health runs an Argo CD health script the way Argo CD does: under gopher-lua with only the
// package, base and table libraries and an os table holding time alone (no string, math, io or debug library),
// the object as the global `obj` (JSON objects and arrays as tables, arrays from index 1, null as nil), and the
// table the chunk returns as the result. It prints the status and the message on two lines.
//
// Usage: gopher-lua-health SCRIPT.lua OBJECT.json
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	lua "github.com/yuin/gopher-lua"
)

func main() {
	if len(os.Args) == 2 && (os.Args[1] == "--help" || os.Args[1] == "-h") {
		fmt.Println("usage: gopher-lua-health SCRIPT.lua OBJECT.json")
		return
	}
	if len(os.Args) != 3 {
		fail("usage: gopher-lua-health SCRIPT.lua OBJECT.json")
	}
	script, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err.Error())
	}
	raw, err := os.ReadFile(os.Args[2])
	if err != nil {
		fail(err.Error())
	}
	var object any
	if err := json.Unmarshal(raw, &object); err != nil {
		fail("the object is not JSON: " + err.Error())
	}
	status, message, err := run(string(script), object)
	if err != nil {
		fail(err.Error())
	}
	fmt.Printf("%s\n%s", status, message)
}

func fail(message string) {
	fmt.Fprintln(os.Stderr, "gopher-lua-health: "+message)
	os.Exit(1)
}

// run executes the script with Argo CD's library set and returns the status and message of its result.
func run(script string, object any) (string, string, error) {
	L := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer L.Close()
	for name, open := range map[string]lua.LGFunction{
		lua.LoadLibName: lua.OpenPackage,
		lua.BaseLibName: lua.OpenBase,
		lua.TabLibName:  lua.OpenTable,
		lua.OsLibName:   openTimeOnlyOs,
	} {
		if err := L.CallByParam(lua.P{Fn: L.NewFunction(open), NRet: 0, Protect: true}, lua.LString(name)); err != nil {
			return "", "", err
		}
	}
	L.SetGlobal("obj", toLua(L, object))
	if err := L.DoString(script); err != nil {
		return "", "", err
	}
	result, ok := L.Get(-1).(*lua.LTable)
	if !ok {
		return "", "", fmt.Errorf("the health script returned %s, not a table", L.Get(-1).Type())
	}
	return lua.LVAsString(result.RawGetString("status")), lua.LVAsString(result.RawGetString("message")), nil
}

// openTimeOnlyOs registers an os table with os.time() only: the part of os a health script could use safely.
func openTimeOnlyOs(L *lua.LState) int {
	mod := L.RegisterModule(lua.OsLibName, map[string]lua.LGFunction{
		"time": func(L *lua.LState) int {
			L.Push(lua.LNumber(time.Now().Unix()))
			return 1
		},
	})
	L.Push(mod)
	return 1
}

// toLua converts decoded JSON into Lua values.
func toLua(L *lua.LState, value any) lua.LValue {
	switch v := value.(type) {
	case nil:
		return lua.LNil
	case bool:
		return lua.LBool(v)
	case float64:
		return lua.LNumber(v)
	case string:
		return lua.LString(v)
	case []any:
		table := L.NewTable()
		for _, item := range v {
			table.Append(toLua(L, item))
		}
		return table
	case map[string]any:
		table := L.NewTable()
		for key, item := range v {
			table.RawSetString(key, toLua(L, item))
		}
		return table
	default:
		panic(fmt.Sprintf("unexpected JSON value %T", value))
	}
}
