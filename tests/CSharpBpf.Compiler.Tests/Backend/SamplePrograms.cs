using CSharpBpf.Compiler.Ir;

namespace CSharpBpf.Compiler.Tests.Backend;

/// <summary>Hand-built IR modules that exercise maps, globals, helpers, subprograms and line info.</summary>
internal static class SamplePrograms
{
    public const string File = "Samples/Counter.cs";

    public const string Source =
        "static ulong Seen;\n" +
        "[Xdp] static int Count(xdp_md* ctx) {\n" +
        "    uint key = Classify(ctx);\n" +
        "    ulong* n = Counts.Lookup(key);\n" +
        "    if (n != null) *n += 1;\n" +
        "    Seen++;\n" +
        "    return XDP_PASS;\n" +
        "}\n" +
        "[Global] static uint Classify(xdp_md* ctx) => ctx->data_end - ctx->data > 100 ? 1u : 0u;\n";

    /// <summary>An XDP counter: a [Global] classifier, an array map lookup with a null check, a .bss global.</summary>
    public static IrModule Counter()
    {
        var m = new IrModule("Counter");
        m.SourceTexts[File] = Source;
        var ulongT = IntType.ULong;
        var counts = m.AddMap(new MapDefinition("Counts", BpfMapType.Array, IntType.UInt, ulongT, 2));
        var seen = m.AddGlobal(new GlobalVariable("Seen", ulongT, GlobalSection.Bss));
        var lookup = m.Helper("bpf_map_lookup_elem", 1, new PointerType(VoidType.Instance), new PointerType(VoidType.Instance), new PointerType(VoidType.Instance));
        var ctxType = new PointerType(XdpHarness.XdpMd);

        var classify = m.AddFunction("Classify", FunctionKind.Global, IntType.UInt);
        var cctx = classify.AddParam("ctx", ctxType).Reg;
        classify.Location = new SourceLocation(File, 9, 1);
        {
            var b = new FunctionBuilder(classify).At(File, 9, 40);
            var nonNull = b.NewBlock("nonnull");
            var isNull = b.NewBlock("null");
            b.Branch(CmpOp.Eq, cctx, 0, isNull, nonNull);
            b.SetBlock(isNull);
            b.Return(0L);
            b.SetBlock(nonNull);
            var data = b.Load(4, cctx, 0);
            var end = b.Load(4, cctx, 4);
            var len = b.Binary(BinOp.Sub, end, data);
            var big = b.Compare(CmpOp.Ugt, len, 100);
            b.Return(big);
        }

        var prog = m.AddProgram("Count", "xdp", IntType.Int);
        var ctx = prog.AddParam("ctx", ctxType).Reg;
        prog.Location = new SourceLocation(File, 2, 1);
        {
            var b = new FunctionBuilder(prog).At(File, 3, 5);
            var keySlot = prog.NewSlot(4, 4, "key");
            var key = b.Call(classify, ctx)!;
            var keyAddr = b.FrameAddr(keySlot);
            b.Store(4, keyAddr, 0, key);
            b.At(File, 4, 5);
            var map = b.MapAddr(counts);
            var n = b.Call(lookup, map, keyAddr)!;
            var inc = b.NewBlock("inc");
            var after = b.NewBlock("after");
            b.At(File, 5, 5);
            b.Branch(CmpOp.Ne, n, 0, inc, after);
            b.SetBlock(inc);
            var old = b.Load(8, n, 0);
            var nv = b.Binary(BinOp.Add, old, 1);
            b.Store(8, n, 0, nv);
            b.Jump(after);
            b.SetBlock(after);
            b.At(File, 6, 5);
            var g = b.GlobalAddr(seen);
            var s = b.Load(8, g, 0);
            var s1 = b.Binary(BinOp.Add, s, 1);
            b.Store(8, g, 0, s1);
            b.At(File, 7, 5);
            b.Return(2);
        }
        return m;
    }
    /// <summary>sum = 0; for (i = 0; i &lt; n &amp;&amp; i &lt; 64; i++) sum += i * x; — a loop the verifier bounds.</summary>
    public static IrModule SumLoop() => XdpHarness.Build((b, v) =>
    {
        var f = b.Function;
        var n = v[0];
        var x = v[1];
        var sum = f.NewReg(Width.W64, "sum");
        var i = f.NewReg(Width.W64, "i");
        b.Move(sum, 0L);
        b.Move(i, 0L);
        var head = b.NewBlock("loop.head");
        var check2 = b.NewBlock("loop.check2");
        var body = b.NewBlock("loop.body");
        var exit = b.NewBlock("loop.exit");
        b.Jump(head);
        b.SetBlock(head);
        b.Branch(CmpOp.Uge, i, n, exit, check2);
        b.SetBlock(check2);
        b.Branch(CmpOp.Uge, i, 64, exit, body);
        b.SetBlock(body);
        var t = b.Binary(BinOp.Mul, i, x);
        b.BinaryInto(sum, BinOp.Add, sum, t);
        b.BinaryInto(i, BinOp.Add, i, 1);
        b.Jump(head);
        b.SetBlock(exit);
        return sum;
    });

    /// <summary>A program calling a two-instruction static helper (inlined).</summary>
    public static IrModule WithSmallHelper()
    {
        IrFunction? helper = null;
        var m = XdpHarness.Build((b, v) =>
        {
            var r1 = b.Call(helper!, v[0], v[1])!;
            return b.Call(helper!, r1, v[2])!;
        }, declare: mod =>
        {
            helper = mod.AddFunction("MulAdd", FunctionKind.Subprogram, IntType.Long);
            var a = helper.AddParam("a", IntType.Long).Reg;
            var c = helper.AddParam("c", IntType.Long).Reg;
            var hb = new FunctionBuilder(helper).At("Helper.cs", 1, 1);
            var p = hb.Binary(BinOp.Mul, a, 3);
            hb.Return(hb.Binary(BinOp.Add, p, c));
        });
        return m;
    }

    /// <summary>Twelve values live at once: more than r0-r9 hold, so some go to the stack.</summary>
    public static IrModule HighPressure() => XdpHarness.Build((b, v) =>
    {
        var vals = new VReg[12];
        for (int k = 0; k < vals.Length; k++) vals[k] = b.Binary(BinOp.Mul, v[k % 3], k + 3);
        Operand acc = vals[0];
        for (int k = 1; k < vals.Length; k++) acc = b.Binary(BinOp.Xor, acc, b.Binary(BinOp.Add, vals[k], vals[vals.Length - k]));
        return acc;
    });
}
