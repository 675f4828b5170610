using CSharpBpf.Object.Btf;

namespace CSharpBpf.Object.Tests.Btf;

/// <summary>Small BTF sets built with the builder API, shared by round-trip, kernel and fuzz tests.</summary>
internal static class BtfSamples
{
    /// <summary>
    /// One of every kind, shaped to pass the kernel's BTF_LOAD checks (valid identifiers, a
    /// DATASEC whose VAR sizes match, type tags right after a pointer, only linkages the kernel allows).
    /// </summary>
    public static CSharpBpf.Object.Btf.Btf KernelLoadable()
    {
        var btf = new CSharpBpf.Object.Btf.Btf();
        var i32 = btf.AddInt("int", 4, BtfIntEncoding.Signed);                      // 1
        var u32 = btf.AddInt("unsigned int", 4, BtfIntEncoding.None);               // 2
        var ch = btf.AddInt("char", 1, BtfIntEncoding.Signed);                      // 3
        btf.AddInt("_Bool", 1, BtfIntEncoding.Bool);                                // 4
        var dbl = btf.AddFloat("double", 8);                                         // 5
        var pint = btf.AddPtr(i32.Id);                                               // 6
        var name = btf.AddArray(ch.Id, u32.Id, 16);                                  // 7
        var pair = btf.AddStruct("pair", 32);                                        // 8
        var ppair = btf.AddPtr(pair.Id);                                             // 9
        pair.AddMember("a", i32.Id, 0);
        pair.AddMember("flags", u32.Id, 32, 3);
        pair.AddMember("mode", u32.Id, 35, 5);
        pair.AddMember("name", name.Id, 64);
        pair.AddMember("next", ppair.Id, 192);
        var un = btf.AddUnion("num", 8);                                             // 10
        un.AddMember("i", i32.Id, 0);
        un.AddMember("d", dbl.Id, 0);
        var e = btf.AddEnum("colour", 4);                                            // 11
        e.AddValue("RED", 0);
        e.AddValue("ALL", 0xffffffff);
        var se = btf.AddEnum("delta", 4, isSigned: true);                           // 12
        se.AddValue("DOWN", -1);
        se.AddValue("UP", 5);
        var e64 = btf.AddEnum64("big", 8);                                           // 13
        e64.AddValue("MAX", -1);
        e64.AddValue("TERA", 1L << 40);
        btf.AddFwd("later_s");                                                       // 14
        btf.AddFwd("later_u", isUnion: true);                                        // 15
        btf.AddTypedef("pair_t", pair.Id);                                           // 16
        var vol = btf.AddVolatile(i32.Id);                                           // 17
        btf.AddConst(vol.Id);                                                        // 18
        btf.AddRestrict(pint.Id);                                                    // 19
        var proto = btf.AddFuncProto(i32.Id);                                        // 20
        proto.AddParameter("x", i32.Id);
        proto.AddParameter("p", ppair.Id);
        var add = btf.AddFunc("add", proto.Id, BtfFuncLinkage.Global);               // 21
        var counter = btf.AddVar("counter", i32.Id, BtfVarLinkage.GlobalAllocated);  // 22
        var data = btf.AddDatasec(".data", 4);                                       // 23
        data.AddVariable(counter.Id, 0, 4);
        btf.AddDeclTag("member_tag", pair.Id, 0);                                    // 24
        btf.AddDeclTag("func_tag", add.Id, -1);                                      // 25
        var tag = btf.AddTypeTag("user", i32.Id);                                    // 26
        btf.AddPtr(tag.Id);                                                          // 27
        btf.AddFunc("helper", proto.Id, BtfFuncLinkage.Static);                      // 28
        var st = btf.AddVar("hidden", i32.Id, BtfVarLinkage.Static);                 // 29
        var bss = btf.AddDatasec(".bss", 8);                                         // 30
        bss.AddVariable(st.Id, 4, 4);
        return btf;
    }

    /// <summary>Everything in <see cref="KernelLoadable"/> plus the forms the kernel refuses from user space but objects carry.</summary>
    public static CSharpBpf.Object.Btf.Btf EveryForm()
    {
        var btf = KernelLoadable();
        uint i32 = btf.FindId("int", BtfKind.Int);
        uint proto = btf.Find<BtfFunc>("add")!.TypeId;
        btf.AddFunc("bpf_kfunc_x", proto, BtfFuncLinkage.Extern);
        btf.AddVar("ext_var", i32, BtfVarLinkage.GlobalExtern);
        var variadic = btf.AddFuncProto(0);
        variadic.AddParameter("fmt", i32);
        variadic.AddParameter("", 0);
        btf.AddInt("u4", 1, BtfIntEncoding.None, bits: 4, offset: 2);
        btf.AddInt("__int128", 16, BtfIntEncoding.Signed);
        btf.AddDeclTag("attr_tag", i32, -1, isAttribute: true);
        btf.AddTypeTag("attr_ttag", i32, isAttribute: true);
        btf.AddFloat("long double", 16);
        var anon = btf.AddStruct("", 4);
        anon.AddMember("", btf.FindId("num", BtfKind.Union), 0);
        var ksyms = btf.AddDatasec(".ksyms", 0);
        ksyms.AddVariable(btf.FindId("bpf_kfunc_x", BtfKind.Func), 0, 0);
        return btf;
    }
}
