using System;
using System.IO;
using CSharpBpf.Cli;
using CSharpBpf.Object.Btf;

namespace CSharpBpf.Cli.Tests;

/// <summary>Runs `csbpf` in-process and builds small BTF files for the btf verb's tests.</summary>
internal static class BtfCliTestSupport
{
    public static (int Exit, string Out, string Err) Csbpf(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    public static string TempFile(byte[] bytes)
    {
        string path = Path.Combine(Path.GetTempPath(), "csbpf-btf-" + Guid.NewGuid().ToString("N") + ".btf");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>
    /// A BTF with the shapes the C# emitter must handle: bitfields (unsigned, signed, bool, enum),
    /// anonymous union and struct members, fixed and struct arrays, a 2-D array, typed and untyped
    /// pointers, a function pointer, a flexible array, a typedef'd anonymous struct, keyword and
    /// type-named members.
    /// </summary>
    public static CSharpBpf.Object.Btf.Btf EmitterSample()
    {
        var btf = new CSharpBpf.Object.Btf.Btf();
        var u8 = btf.AddInt("unsigned char", 1, BtfIntEncoding.None);
        var i32 = btf.AddInt("int", 4, BtfIntEncoding.Signed);
        var u32 = btf.AddInt("unsigned int", 4, BtfIntEncoding.None);
        var u64 = btf.AddInt("long long unsigned int", 8, BtfIntEncoding.None);
        var b = btf.AddInt("_Bool", 1, BtfIntEncoding.Bool);
        var u32t = btf.AddTypedef("u32", u32.Id);
        var state = btf.AddEnum("conn_state", 4);
        state.AddValue("CONN_IDLE", 0);
        state.AddValue("CONN_UP", 1);
        state.AddValue("CONN_MAX", 0xffffffff);
        var anonEnum = btf.AddEnum("", 4, isSigned: true);
        anonEnum.AddValue("SOME_FLAG", -2);

        var other = btf.AddStruct("other_thing", 8);                 // pointed to, not generated
        other.AddMember("x", u64.Id, 0);
        var head = btf.AddStruct("list_node", 16);
        var headPtr = btf.AddPtr(head.Id);
        head.AddMember("next", headPtr.Id, 0);
        head.AddMember("prev", headPtr.Id, 64);

        var lockT = btf.AddStruct("", 4);                            // typedef struct { int v; } spin_t
        lockT.AddMember("v", i32.Id, 0);
        var spin = btf.AddTypedef("spin_t", lockT.Id);

        var conn = btf.AddStruct("conn", 128);
        var connPtr = btf.AddPtr(conn.Id);
        var proto = btf.AddFuncProto(u32.Id);
        proto.AddParameter("c", connPtr.Id);
        proto.AddParameter("acked", u32t.Id);
        var fn = btf.AddPtr(proto.Id);
        var name = btf.AddArray(u8.Id, i32.Id, 16);
        var row = btf.AddArray(u32.Id, i32.Id, 3);
        var grid = btf.AddArray(row.Id, i32.Id, 2);
        var nodes = btf.AddArray(head.Id, i32.Id, 2);
        var flex = btf.AddArray(u8.Id, i32.Id, 0);
        var anonUnion = btf.AddUnion("", 8);
        anonUnion.AddMember("addr", u64.Id, 0);
        var inner = btf.AddStruct("", 8);
        inner.AddMember("lo", u32.Id, 0);
        inner.AddMember("hi", u32.Id, 32);
        anonUnion.AddMember("", inner.Id, 0);

        conn.AddMember("cwnd", u32t.Id, 0);
        conn.AddMember("mode", u8.Id, 32, 3);                           // unsigned bitfield
        conn.AddMember("delta", i32.Id, 35, 4);                         // signed bitfield
        conn.AddMember("ready", b.Id, 39, 1);                           // bool bitfield
        conn.AddMember("state", state.Id, 40, 2);                       // enum bitfield
        conn.AddMember("", anonUnion.Id, 64);                           // hoisted: addr, lo, hi
        conn.AddMember("name", name.Id, 128);
        conn.AddMember("grid", grid.Id, 256);                           // 24 bytes
        conn.AddMember("nodes", nodes.Id, 448);                         // 32 bytes at 56
        conn.AddMember("peer", connPtr.Id, 704);                        // typed: conn is generated
        conn.AddMember("opaque", btf.AddPtr(other.Id).Id, 768);         // void*: other_thing not asked for
        conn.AddMember("cong_avoid", fn.Id, 832);
        conn.AddMember("lock", spin.Id, 896);                           // keyword name, typedef'd anonymous struct
        conn.AddMember("conn", anonEnum.Id, 928);                       // member named like its type, anonymous enum
        conn.AddMember("event", u64.Id, 960);
        conn.AddMember("data", flex.Id, 1024);                          // flexible array at the end
        return btf;
    }
}
