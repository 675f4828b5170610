using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using CSharpBpf.Compiler.Backend;
using CSharpBpf.Compiler.Diagnostics;
using CSharpBpf.Compiler.Frontend;
using CSharpBpf.Compiler.Tests.Frontend;
using CSharpBpf.Object.Isa;
using CSharpBpf.TestSupport;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Differential;

/// <summary>
/// Compiles one method of <see cref="Constructs"/> into an XDP program whose entry reads the
/// method's arguments (8 bytes each) from the packet and writes the result (as a long) after them,
/// and links its subprograms; <see cref="IProgramRunner"/>s run it (kernel, VM), <see cref="RunNative"/> runs the C#.
/// </summary>
internal sealed class DifferentialHarness
{
    private readonly MethodInfo _method;

    public DifferentialHarness(string methodName)
    {
        _method = typeof(Constructs).GetMethod(methodName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new ArgumentException("no construct " + methodName);
        Instructions = CompileEntry(_method);
    }

    public Instruction[] Instructions { get; }

    public static string ConstructsPath => Path.Combine(RepoPaths.Root, "tests", "CSharpBpf.Compiler.Tests", "Differential", "Constructs.cs");

    /// <summary>The XDP entry, as C# added to the Constructs class for the compiler.</summary>
    public static string EntrySource(MethodInfo m)
    {
        var ps = m.GetParameters();
        int n = ps.Length;
        var args = string.Join(", ", ps.Select((p, i) => $"({CSharpName(p.ParameterType)})*(long*)(d + {8 * i})"));
        string call = $"{m.Name}({args})";
        string result = m.ReturnType == typeof(bool) ? $"({call} ? 1L : 0L)" : $"(long){call}";
        return $@"using CSharpBpf;
using CSharpBpf.Kernel;
namespace CSharpBpf.Compiler.Tests.Differential;
public static unsafe partial class Constructs
{{
    [Xdp]
    static int Entry(xdp_md* ctx)
    {{
        byte* d = (byte*)ctx->data;
        byte* end = (byte*)ctx->data_end;
        if (d + {8 * (n + 1)} > end) return 0;
        *(long*)(d + {8 * n}) = {result};
        return 2;
    }}
}}";
    }

    private static string CSharpName(Type t) => t == typeof(int) ? "int" : t == typeof(uint) ? "uint" : t == typeof(long) ? "long" :
        t == typeof(ulong) ? "ulong" : t == typeof(short) ? "short" : t == typeof(ushort) ? "ushort" : t == typeof(byte) ? "byte" :
        t == typeof(sbyte) ? "sbyte" : t == typeof(bool) ? "bool" : t.FullName!;

    public static Instruction[] CompileEntry(MethodInfo m) =>
        CompileClass("Constructs", (ConstructsPath, File.ReadAllText(ConstructsPath)), ("Entry.cs", EntrySource(m)));

    /// <summary>
    /// Compiles class <paramref name="className"/> of the given sources (which must compile without a BPF
    /// diagnostic) and returns its program "Entry" linked with the subprograms it calls.
    /// </summary>
    public static Instruction[] CompileClass(string className, params (string Path, string Text)[] sources)
    {
        var c = TestCompilation.Create(sources);
        var diags = new List<DiagnosticInfo>();
        var lowered = BpfClassCompiler.LowerToIr(c, TestCompilation.Class(c, className), diags);
        Assert.True(diags.Count == 0, $"class {className} does not compile:\n" + string.Join("\n", diags));
        return Link(BpfBackend.Compile(lowered!.Value.Module), "Entry");
    }

    /// <summary>Lays out the entry then every subprogram it calls, patching bpf-to-bpf call offsets.</summary>
    public static Instruction[] Link(IReadOnlyList<CompiledFunction> functions, string entry)
    {
        var order = new List<CompiledFunction> { functions.Single(f => f.Name == entry) };
        for (int i = 0; i < order.Count; i++)
            foreach (var r in order[i].Relocs)
            {
                if (r.Reloc.Kind != RelocKind.LocalCall) throw new InvalidOperationException($"construct needs a {r.Reloc.Kind} relocation, which raw loading cannot resolve");
                var callee = functions.Single(f => f.Name == r.Reloc.Symbol);
                if (!order.Contains(callee)) order.Add(callee);
            }
        var start = new Dictionary<CompiledFunction, int>();
        int at = 0;
        foreach (var f in order) { start[f] = at; at += f.Code.Length; }
        var code = new Instruction[at];
        foreach (var f in order)
        {
            Array.Copy(f.Code, 0, code, start[f], f.Code.Length);
            foreach (var r in f.Relocs)
            {
                int idx = start[f] + r.Index;
                var target = start[order.Single(x => x.Name == r.Reloc.Symbol)];
                code[idx] = code[idx].WithImm(target - (idx + 1));
            }
        }
        return code;
    }

    /// <summary>The packet the entry reads: arguments, then room for the result.</summary>
    public static byte[] Packet(long[] inputs)
    {
        var packet = new byte[Math.Max(64, 8 * (inputs.Length + 1))];
        for (int i = 0; i < inputs.Length; i++) BitConverter.GetBytes(inputs[i]).CopyTo(packet, 8 * i);
        return packet;
    }

    public int ParameterCount => _method.GetParameters().Length;

    /// <summary>The native result, widened to long exactly as the entry's (long) cast does.</summary>
    public long RunNative(long[] inputs)
    {
        var ps = _method.GetParameters();
        var args = ps.Select((p, i) => Narrow(inputs[i], p.ParameterType)).ToArray();
        object? r = _method.Invoke(null, args);
        return Widen(r!);
    }

    private static object Narrow(long v, Type t) => unchecked(
        t == typeof(int) ? (int)v : t == typeof(uint) ? (uint)v : t == typeof(long) ? v : t == typeof(ulong) ? (ulong)v :
        t == typeof(short) ? (short)v : t == typeof(ushort) ? (ushort)v : t == typeof(byte) ? (byte)v : t == typeof(sbyte) ? (sbyte)v :
        t == typeof(bool) ? (object)(v != 0) : throw new ArgumentException("unsupported parameter type " + t));

    private static long Widen(object r) => unchecked(r switch
    {
        int v => v,
        uint v => v,
        long v => v,
        ulong v => (long)v,
        short v => v,
        ushort v => v,
        byte v => v,
        sbyte v => v,
        bool v => v ? 1 : 0,
        Enum e => Convert.ToInt64(e),
        _ => throw new ArgumentException("unsupported result type " + r.GetType()),
    });
}
