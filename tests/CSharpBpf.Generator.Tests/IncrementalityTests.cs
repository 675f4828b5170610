using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using CSharpBpf.Compiler.Frontend;
using Xunit;

namespace CSharpBpf.Generator.Tests;

/// <summary>
/// The generator's lowering step re-runs only for BPF classes whose inputs changed: read from the
/// driver's tracked steps (trackIncrementalGeneratorSteps), not guessed from timings. An output
/// reason of Cached means the step did not run for that class; Modified/Unchanged mean it ran.
/// </summary>
public class IncrementalityTests
{
    private static string Bpf(string name, int verdict) => $@"using CSharpBpf;
using CSharpBpf.Kernel;
namespace Demo;
public static unsafe partial class {name}
{{
    [Map(MaxEntries = 2)] static ArrayMap<Shared> State;

    [Xdp]
    static int Run(xdp_md* ctx)
    {{
        Shared* s = State.Lookup(0);
        if (s != null) s->Count += 1;
        return {verdict};
    }}
}}";

    private const string SharedStruct = "namespace Demo; public struct Shared { public ulong Count; public uint Flags; }";
    private const string Unrelated = "namespace Demo; public class Unrelated { public int Compute(int x) => x * 2; }";

    private static Dictionary<string, IncrementalStepRunReason> LowerReasons(GeneratorDriver driver)
    {
        var steps = driver.GetRunResult().Results.Single().TrackedSteps[BpfGenerator.LowerStep];
        return steps.SelectMany(s => s.Outputs)
            .ToDictionary(o => ((CompiledBpfClass)o.Value).ClassName, o => o.Reason);
    }

    private static (GeneratorDriver Driver, Compilation Compilation) FirstRun()
    {
        var c = GeneratorHarness.Compilation(("Alpha.cs", Bpf("Alpha", 2)), ("Beta.cs", Bpf("Beta", 1)),
            ("Shared.cs", SharedStruct), ("Unrelated.cs", Unrelated));
        var driver = GeneratorHarness.Driver().RunGenerators(c);
        var first = LowerReasons(driver);
        Assert.Equal(new[] { "Alpha", "Beta" }, first.Keys.OrderBy(k => k));
        Assert.All(first.Values, r => Assert.Equal(IncrementalStepRunReason.New, r));
        return (driver, c);
    }

    [Fact]
    public void Edit_outside_bpf_classes_reruns_no_lowering()
    {
        var (driver, c) = FirstRun();
        var edited = GeneratorHarness.Edit(c, "Unrelated.cs", Unrelated.Replace("x * 2", "x * 3 + 1"));
        driver = driver.RunGenerators(edited);
        var reasons = LowerReasons(driver);
        Assert.All(reasons, kv => Assert.True(kv.Value == IncrementalStepRunReason.Cached,
            $"{kv.Key} was re-lowered ({kv.Value}) after an edit outside every BPF class"));
    }

    [Fact]
    public void Edit_inside_one_class_relowers_that_class_only()
    {
        var (driver, c) = FirstRun();
        var edited = GeneratorHarness.Edit(c, "Alpha.cs", Bpf("Alpha", 3));
        driver = driver.RunGenerators(edited);
        var reasons = LowerReasons(driver);
        // Modified or Unchanged: the step ran (its output may equal the old one); Cached: it did not run
        Assert.NotEqual(IncrementalStepRunReason.Cached, reasons["Alpha"]);
        Assert.Equal(IncrementalStepRunReason.Cached, reasons["Beta"]);
    }

    [Fact]
    public void Edit_of_a_struct_the_classes_use_relowers_both()
    {
        // the fingerprint follows the types a class uses: a layout change must reach the object
        var (driver, c) = FirstRun();
        var edited = GeneratorHarness.Edit(c, "Shared.cs", SharedStruct.Replace("public uint Flags;", "public uint Flags; public uint More;"));
        driver = driver.RunGenerators(edited);
        var reasons = LowerReasons(driver);
        Assert.All(reasons.Values, r => Assert.NotEqual(IncrementalStepRunReason.Cached, r));
    }
}
