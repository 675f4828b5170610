using System;
using System.IO;
using System.Linq;
using System.Reflection;
using CSharpBpf.Linux.Loader;
using CSharpBpf.TestSupport;
using Microsoft.CodeAnalysis;
using Xunit;

namespace CSharpBpf.Generator.Tests;

/// <summary>
/// <c>LoadKernel(options, beforeLoad)</c>: globals set on the object before load reach the kernel,
/// including a <c>static readonly</c> one (.rodata, frozen), which a program must read from memory
/// rather than have folded to its C# initializer.
/// </summary>
public class KernelGlobalsBeforeLoadTests
{
    private const string Source = """
        using CSharpBpf;
        using CSharpBpf.Kernel;

        namespace Demo;

        public static unsafe partial class Verdicts
        {
            static readonly uint Verdict = 2;   // XDP_PASS unless the loader says otherwise
            static uint Seen;                   // .bss

            [Xdp]
            public static int Decide(xdp_md* ctx)
            {
                Seen = Seen + 1;
                return (int)Verdict;
            }
        }
        """;

    [SkippableFact]
    public void A_static_readonly_global_set_before_load_is_what_the_kernel_program_returns()
    {
        KernelSkip.UnlessBpfAllowed();
        var c = GeneratorHarness.CompilationWithRuntimes(false, true, ("Verdicts.cs", Source));
        var driver = GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(c, out var output, out var diags);
        Assert.Empty(diags);
        Assert.Null(driver.GetRunResult().Results.Single().Exception);
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        using var pe = new MemoryStream();
        Assert.True(output.Emit(pe).Success);
        var type = Assembly.Load(pe.ToArray()).GetType("Demo.Verdicts")!;
        var load = type.GetMethod("LoadKernel", new[] { typeof(LoadOptions), typeof(Action<ObjectSpec>) })!;

        uint Run(Action<ObjectSpec>? beforeLoad)
        {
            using var bpf = (IDisposable)load.Invoke(null, new object?[] { null, beforeLoad })!;
            dynamic d = bpf;
            var r = (CSharpBpf.Linux.Programs.TestRunResult)d.Programs.Decide.TestRun(new byte[64]);
            return r.ReturnValue;
        }

        Assert.Equal(2u, Run(null));
        Assert.Equal(1u, Run(spec => spec.SetGlobal("Verdict", 1u))); // XDP_DROP
        var e = Assert.Throws<TargetInvocationException>(() => Run(spec => spec.SetGlobal("Missing", 1u)));
        Assert.IsType<System.Collections.Generic.KeyNotFoundException>(e.InnerException);
        Assert.Contains("Missing", e.InnerException!.Message);
    }
}
