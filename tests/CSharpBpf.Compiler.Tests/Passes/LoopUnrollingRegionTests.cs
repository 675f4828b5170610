using System;
using System.Collections.Generic;
using System.Linq;
using CSharpBpf.Compiler.Ir;
using CSharpBpf.Compiler.Passes;
using CSharpBpf.Compiler.Tests.Differential;
using CSharpBpf.Compiler.Tests.Frontend;
using CSharpBpf.Compiler.Tests.KernelKinds;
using CSharpBpf.Object.Isa;
using CSharpBpf.Object.Objects;
using CSharpBpf.TestSupport;
using CSharpBpf.Vm;
using Xunit;

namespace CSharpBpf.Compiler.Tests.Passes;

/// <summary>
/// Loops whose body branches (if/else, continue) are unrolled like straight-line ones: no back edge is left,
/// and the program computes what the C# computes (managed VM with the verifier, and the kernel when allowed).
/// </summary>
public sealed class LoopUnrollingRegionTests
{
    /// <summary>Unrolled = the compiled program must have no loop left (else only the results are compared).</summary>
    public sealed record Case(string Name, string Body, Func<long, long, long> Native, bool Unrolled = true)
    {
        public override string ToString() => Name;
    }

    // Each Body is the C# text of Native's lambda: the same code, compiled to BPF and run natively.
    public static readonly Case[] Cases =
    {
        new("if_else", "long s = 0; for (int i = 0; i < 8; i++) { if (((a >> i) & 1) != 0) s += b; else s ^= i; } return s;",
            (a, b) => { long s = 0; for (int i = 0; i < 8; i++) { if (((a >> i) & 1) != 0) s += b; else s ^= i; } return s; }),
        new("running_max", "long m = a; for (int i = 0; i < 5; i++) { long x = (b >> (8 * i)) & 255; if (x > m) m = x; } return m;",
            (a, b) => { long m = a; for (int i = 0; i < 5; i++) { long x = (b >> (8 * i)) & 255; if (x > m) m = x; } return m; }),
        new("continue", "long acc = 0; for (int i = 0; i < 6; i++) { if (i == (b & 7)) continue; acc = acc * 31 + (a >> i); } return acc;",
            (a, b) => { long acc = 0; for (int i = 0; i < 6; i++) { if (i == (b & 7)) continue; acc = acc * 31 + (a >> i); } return acc; }),
        new("else_if_counting_down", "long r = 0; for (int k = 9; k > 0; k -= 4) { if (a > k) r += k; else if (a == k) r -= 100; else r ^= b; } return r;",
            (a, b) => { long r = 0; for (int k = 9; k > 0; k -= 4) { if (a > k) r += k; else if (a == k) r -= 100; else r ^= b; } return r; },
            Unrolled: false), // not the single-latch shape once the CFG is simplified: kept as a loop, results still compared
    };

    public static IEnumerable<object[]> CaseData => Cases.Select(c => new object[] { c });

    private static readonly (long A, long B)[] Inputs =
    {
        (0, 0), (1, 7), (0xff, -3), (4, 4), (7, 0x1122334455), (-1, 1), (10, 2), (0x55, 0x7f00ff), (12345, 6),
    };

    private static Instruction[] Compile(Case c)
    {
        var src = @"using CSharpBpf;
using CSharpBpf.Kernel;
namespace U;
public static unsafe partial class L
{
    [Inline]
    static long F(long a, long b) { " + c.Body + @" }
    [Xdp]
    static int Entry(xdp_md* ctx)
    {
        byte* d = (byte*)ctx->data;
        byte* end = (byte*)ctx->data_end;
        if (d + 24 > end) return 0;
        *(long*)(d + 16) = F(*(long*)d, *(long*)(d + 8));
        return 2;
    }
}";
        var obj = BpfObjectFile.Read(StructOpsCompileTests.Compile(src, "U.L"));
        var xdp = obj.FindProgramSection("xdp")!;
        Assert.Empty(xdp.Relocations);
        return xdp.Instructions.ToArray();
    }

    /// <summary>True when the instruction graph (fall-through and jump edges) has a cycle: a loop is left.</summary>
    private static bool HasLoop(Instruction[] code)
    {
        var state = new int[code.Length]; // 0 unseen, 1 on the DFS stack, 2 done
        var stack = new Stack<(int Node, int Next)>();
        for (int root = 0; root < code.Length; root++)
        {
            if (state[root] != 0) continue;
            stack.Push((root, 0));
            state[root] = 1;
            while (stack.Count > 0)
            {
                var (n, k) = stack.Pop();
                var succ = Successors(code, n);
                if (k < succ.Count)
                {
                    stack.Push((n, k + 1));
                    int s = succ[k];
                    if (s < 0 || s >= code.Length) continue;
                    if (state[s] == 1) return true;
                    if (state[s] == 0) { state[s] = 1; stack.Push((s, 0)); }
                }
                else state[n] = 2;
            }
        }
        return false;
    }

    private static List<int> Successors(Instruction[] code, int i)
    {
        var insn = code[i];
        int cls = insn.Opcode & 0x07;
        var list = new List<int>();
        if (insn.IsExit) return list;
        bool jump = (cls == 0x05 || cls == 0x06) && !insn.IsCall;
        if (jump)
        {
            list.Add(i + 1 + insn.Offset);
            if ((insn.Opcode & 0xf0) == 0x00) return list; // ja: no fall-through
        }
        list.Add(i + 1);
        return list;
    }

    [Theory]
    [MemberData(nameof(CaseData))]
    public void The_loop_is_unrolled_and_agrees_with_CSharp_in_the_VM(Case c)
    {
        var code = Compile(c);
        Assert.Equal(!c.Unrolled, HasLoop(code));
        using var vm = new VmRunner(code, ExecutionEngine.Interpreter);
        foreach (var (a, b) in Inputs)
            Assert.True(c.Native(a, b) == vm.Run(new[] { a, b }), $"{c.Name}({a}, {b})");
    }

    [SkippableTheory]
    [MemberData(nameof(CaseData))]
    public void The_unrolled_loop_agrees_with_CSharp_in_the_kernel(Case c)
    {
        KernelSkip.UnlessBpfAllowed();
        using var kernel = new KernelRunner(Compile(c));
        foreach (var (a, b) in Inputs)
            Assert.True(c.Native(a, b) == kernel.Run(new[] { a, b }), $"{c.Name}({a}, {b})");
    }

    [Fact]
    public void A_loop_left_by_break_keeps_its_back_edge()
    {
        var m = TestCompilation.Lower(@"
public static unsafe partial class P
{
    [Xdp]
    static int Run(xdp_md* ctx)
    {
        uint s = 0;
        for (int i = 0; i < 8; i++) { if ((ctx->data & (1u << i)) != 0) break; s += 3; }
        return (int)s;
    }
}");
        var f = m.Functions.Single(x => x.Name == "Run");
        PassPipeline.RunToFixedPoint(f, PassPipeline.ScalarPasses());
        Assert.False(new LoopUnrolling(96).Run(f));
    }

    [Fact]
    public void A_branchy_loop_over_the_budget_is_left_alone()
    {
        var m = TestCompilation.Lower(@"
public static unsafe partial class P
{
    [Xdp]
    static int Run(xdp_md* ctx)
    {
        uint s = 0;
        for (int i = 0; i < 8; i++) { if ((ctx->data & (1u << i)) != 0) s += 3; else s ^= 5; }
        return (int)s;
    }
}");
        var f = m.Functions.Single(x => x.Name == "Run");
        PassPipeline.RunToFixedPoint(f, PassPipeline.ScalarPasses());
        Assert.False(new LoopUnrolling(8).Run(f));
        Assert.True(new LoopUnrolling(96).Run(f));
        IrValidator.Validate(m);
    }
}
