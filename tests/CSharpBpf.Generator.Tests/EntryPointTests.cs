using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using CSharpBpf.TestSupport;
using CSharpBpf.Vm;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace CSharpBpf.Generator.Tests;

/// <summary>
/// The skeleton's entry points follow the compilation's references: <c>LoadVm</c> with CSharpBpf.Vm,
/// <c>LoadKernel</c> with CSharpBpf.Linux, neither with only the API. Every program kind and map type the
/// compiler knows must produce entry points that compile, and the VM ones must run what they load.
/// </summary>
public class EntryPointTests
{
    private static string Generated(Compilation c, out Compilation output, out IReadOnlyList<Diagnostic> errors)
    {
        var driver = GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(c, out output, out var diags);
        Assert.Empty(diags);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        return string.Join("\n", result.GeneratedSources.Select(s => s.SourceText.ToString()));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Entry_points_follow_the_runtime_references(bool vm, bool linux)
    {
        var c = GeneratorHarness.CompilationWithRuntimes(vm, linux, ("Counter.cs", GeneratorOutputTests.Counter));
        string text = Generated(c, out _, out var errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Equal(vm, text.Contains("public static VmInstance LoadVm("));
        Assert.Equal(linux, text.Contains("public static KernelInstance LoadKernel("));
        Assert.Contains("public static global::CSharpBpf.BpfObjectDescription BpfObject", text); // the description stays either way
    }

    [Fact]
    public void Kernel_surface_matches_the_program_kinds()
    {
        var c = GeneratorHarness.CompilationWithRuntimes(true, true, ("Counter.cs", GeneratorOutputTests.Counter));
        string text = Generated(c, out _, out var errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Contains("global::CSharpBpf.Linux.Skeleton.KernelXdpProgram Count { get; }", text);
        Assert.Contains("global::CSharpBpf.Linux.Skeleton.KernelCgroupProgram Egress { get; }", text);
        Assert.Contains("public global::CSharpBpf.Linux.Links.BpfLink AttachXdp(int ifindex", text);
        Assert.Contains("public global::System.IDisposable Attach(string cgroupPath", text);
        Assert.Contains("global::CSharpBpf.Linux.Skeleton.KernelMap<uint, long> ByLen", text);
        Assert.Contains("global::CSharpBpf.Vm.Host.VmXdpProgram Count { get; }", text);
        Assert.Contains("global::CSharpBpf.Vm.Host.VmSkbProgram Egress { get; }", text);
        Assert.DoesNotContain("Register()", text); // no struct_ops here
        Assert.DoesNotContain("AttachTracing()", text);
    }

    public static IEnumerable<object[]> Fixtures() =>
        Directory.GetFiles(RepoPaths.Fixture("kernelkinds"), "*.cs").OrderBy(f => f).Select(f => new object[] { Path.GetFileName(f) })
            .Append(new object[] { "(Filters: ringbuf, lru, percpu, prog_array, devmap_hash)" });

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Every_kind_and_map_type_gets_entry_points_that_compile(string fixture)
    {
        string source = fixture.StartsWith("(") ? SampleObjectLoadTests.Samples.Single(s => s.Name == "Filters").Source
            : File.ReadAllText(RepoPaths.Fixture(Path.Combine("kernelkinds", fixture)));
        var c = GeneratorHarness.CompilationWithRuntimes(true, true, ("Fixture.cs", source));
        string text = Generated(c, out _, out var errors);
        Assert.True(errors.Count == 0, fixture + ":\n" + string.Join("\n", errors));
        Assert.Contains("LoadVm(", text);
        Assert.Contains("LoadKernel(", text);
        if (text.Contains("\"StructOps\"")) Assert.Contains("StructOpsRegistration Register()", text);
        if (text.Contains("\"freplace/")) Assert.Contains("LoadKernel(global::CSharpBpf.Linux.Programs.BpfProgram target", text);
        if (text.Contains("\"raw_tp/") || text.Contains("\"tp_btf/") || text.Contains("\"fentry/")) Assert.Contains("AttachTracing()", text);
    }

    [Fact]
    public void Generated_LoadVm_runs_the_class_and_reads_its_maps()
    {
        // compile a user assembly with the generator, load it, and go only through the generated surface
        var c = GeneratorHarness.CompilationWithRuntimes(true, false, ("Counter.cs", GeneratorOutputTests.Counter));
        Generated(c, out var output, out var errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        using var pe = new MemoryStream();
        var emit = output.Emit(pe);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics));
        var counter = Assembly.Load(pe.ToArray()).GetType("Demo.Counter")!;
        var load = counter.GetMethod("LoadVm", new[] { typeof(ExecutionEngine) })!;

        foreach (var engine in new[] { ExecutionEngine.Interpreter, ExecutionEngine.Jit })
        {
            using var vm = (IDisposable)load.Invoke(null, new object[] { engine })!;
            dynamic d = vm;
            for (int i = 0; i < 3; i++)
            {
                var r = (CSharpBpf.Vm.Host.RunResult)d.Programs.Count.Run(new byte[64]);
                Assert.Equal(2, r.Verdict); // XdpAction.Pass
            }
            Assert.Equal(3UL, (ulong)d.Maps.Hits[0u]);
            d.Maps.Hits[1u] = 41UL;
            Assert.Equal(41UL, (ulong)d.Maps.Hits.GetValueOrDefault(1u));

            var egress = (CSharpBpf.Vm.Host.RunResult)d.Programs.Egress.Run(new byte[100]);
            Assert.Equal(1, egress.Verdict);
            Assert.Equal(1L, (long)d.Maps.ByLen[100u]);
            Assert.Equal(new[] { 100u }, ((IEnumerable<uint>)d.Maps.ByLen.Keys).ToArray());
        }
    }

    [Fact]
    public void Generated_LoadVm_reads_per_cpu_and_ring_buffer_maps_of_a_tc_program()
    {
        var filters = SampleObjectLoadTests.Samples.Single(s => s.Name == "Filters").Source;
        var c = GeneratorHarness.CompilationWithRuntimes(true, false, ("Filters.cs", filters));
        Generated(c, out var output, out var errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        using var pe = new MemoryStream();
        Assert.True(output.Emit(pe).Success);
        var type = Assembly.Load(pe.ToArray()).GetType("Demo.Filters")!;
        using var vm = (IDisposable)type.GetMethod("LoadVm", new[] { typeof(ExecutionEngine) })!.Invoke(null, new object[] { ExecutionEngine.Interpreter })!;
        dynamic d = vm;
        d.Programs.Classify.Run(new byte[101]);
        d.Programs.Classify.Run(new byte[109]); // same slot: 101 & 7 == 109 & 7 == 5
        long[] perCpu = d.Maps.Stats.LookupPerCpu(5u);
        Assert.Equal(2L, perCpu.Sum()); // the VM runs every program on one CPU; the sum is what a reader adds up
        Assert.Throws<InvalidOperationException>(() => (object)d.Maps.Stats.TryLookup(5u, out long ignored));
        var events = (System.Collections.Generic.List<byte[]>)d.Maps.Events.Consume();
        Assert.Equal(new[] { 101u, 109u }, events.Select(e => BitConverter.ToUInt32(e, 0)));
    }

    [SkippableFact]
    public void Generated_LoadKernel_loads_every_map_type_and_typed_maps_read_and_write_the_kernel_copy()
    {
        KernelSkip.UnlessBpfAllowed();
        var filters = SampleObjectLoadTests.Samples.Single(s => s.Name == "Filters").Source;
        var c = GeneratorHarness.CompilationWithRuntimes(false, true, ("Filters.cs", filters));
        Generated(c, out var output, out var errors);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        using var pe = new MemoryStream();
        Assert.True(output.Emit(pe).Success);
        var type = Assembly.Load(pe.ToArray()).GetType("Demo.Filters")!;
        uint[] programIds;
        using (var bpf = (IDisposable)type.GetMethod("LoadKernel")!.Invoke(null, new object?[] { null, null })!)
        {
            dynamic d = bpf;
            programIds = ((CSharpBpf.Linux.Loader.BpfObject)d.Object).Programs.Values.Select(p => p.Id).ToArray();
            Assert.Equal(4, programIds.Length);

            d.Maps.Stats.Update(3u, 7L); // per-CPU: every CPU's slot
            long[] perCpu = d.Maps.Stats.LookupPerCpu(3u);
            Assert.Equal(CSharpBpf.Linux.Maps.PossibleCpus.Count, perCpu.Length);
            Assert.All(perCpu, v => Assert.Equal(7L, v));
            Assert.Throws<InvalidOperationException>(() => (object)d.Maps.Stats.TryLookup(3u, out long ignored));

            d.Maps.PerCookie[42UL] = 5UL;
            Assert.Equal(5UL, (ulong)d.Maps.PerCookie[42UL]);
            Assert.Equal(new[] { 42UL }, ((IEnumerable<ulong>)d.Maps.PerCookie.Keys).ToArray());
            Assert.True((bool)d.Maps.PerCookie.Delete(42UL));
            Assert.Equal(0UL, (ulong)d.Maps.PerCookie.GetValueOrDefault(42UL));

            var r = (CSharpBpf.Linux.Programs.TestRunResult)d.Programs.KeepShort.TestRun(new byte[50]);
            // socket filter: keeps packets of up to 60 bytes whole; test_run strips the 14-byte Ethernet header first
            Assert.Equal(50u - 14u, r.ReturnValue);

            // attached to a UDP socket, KeepShort drops datagrams over 60 bytes (UDP header + payload) until detached
            using var rx = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
            using var tx = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
            rx.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            rx.ReceiveTimeout = 5000;
            var buffer = new byte[2048];
            using (IDisposable filter = d.Programs.KeepShort.Attach(rx))
            {
                tx.SendTo(new byte[100], rx.LocalEndPoint!);
                tx.SendTo(new byte[20], rx.LocalEndPoint!);
                Assert.Equal(20, rx.Receive(buffer)); // the 100-byte one never arrived
            }
            tx.SendTo(new byte[100], rx.LocalEndPoint!);
            Assert.Equal(100, rx.Receive(buffer));

            // tc: Classify on lo's ingress (a tcx link; it passes every packet) counts packets by length in Stats
            long Counted()
            {
                long sum = 0;
                for (uint slot = 0; slot < 8; slot++) sum += ((long[])d.Maps.Stats.LookupPerCpu(slot)).Sum();
                return sum;
            }
            long before = Counted();
            using (IDisposable tc = d.Programs.Classify.Attach("lo"))
            {
                tx.SendTo(new byte[30], rx.LocalEndPoint!);
                Assert.Equal(30, rx.Receive(buffer)); // still delivered: Classify returns TC_ACT_OK
            }
            long counted = Counted();
            Assert.True(counted > before, $"Classify counted nothing on lo ({before} → {counted})");
            tx.SendTo(new byte[30], rx.LocalEndPoint!);
            Assert.Equal(30, rx.Receive(buffer));
            Assert.Equal(counted, Counted()); // detached: no more counting
        }
        foreach (var id in programIds)
            Assert.Null(WaitGone(() => CSharpBpf.Linux.Programs.BpfProgram.FromId(id)));
    }

    /// <summary>The kernel frees a program after its last reference (RCU): polls briefly, returns what is still there.</summary>
    private static IDisposable? WaitGone(Func<IDisposable?> find)
    {
        for (int i = 0; i < 50; i++)
        {
            var still = find();
            if (still is null) return null;
            still.Dispose();
            System.Threading.Thread.Sleep(100);
        }
        return find();
    }

    [Fact]
    public void A_source_edit_reruns_neither_detection_output_nor_lowering_and_a_reference_reemits_without_relowering()
    {
        var c = GeneratorHarness.Compilation(("Counter.cs", GeneratorOutputTests.Counter), ("Unrelated.cs", "namespace Demo; class U { int X => 1; }"));
        var driver = GeneratorHarness.Driver().RunGenerators(c);
        Assert.DoesNotContain("LoadVm(", Text(driver));

        // an edit elsewhere: the reference scan runs again but yields the same value, so nothing downstream changes
        var edited = GeneratorHarness.Edit(c, "Unrelated.cs", "namespace Demo; class U { int X => 2; }");
        driver = driver.RunGenerators(edited);
        Assert.All(Reasons(driver, BpfGenerator.RuntimesStep), r => Assert.True(r is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached, r.ToString()));
        Assert.All(Reasons(driver, BpfGenerator.LowerStep), r => Assert.Equal(IncrementalStepRunReason.Cached, r));

        // a runtime reference added: the entry points appear, the class is not lowered again
        var withVm = edited.AddReferences(GeneratorHarness.VmReference);
        driver = driver.RunGenerators(withVm);
        Assert.All(Reasons(driver, BpfGenerator.RuntimesStep), r => Assert.Equal(IncrementalStepRunReason.Modified, r));
        Assert.All(Reasons(driver, BpfGenerator.LowerStep), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.Contains("LoadVm(", Text(driver));
    }

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorDriver driver, string step) =>
        driver.GetRunResult().Results.Single().TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason);

    private static string Text(GeneratorDriver driver) =>
        string.Join("\n", driver.GetRunResult().Results.Single().GeneratedSources.Select(s => s.SourceText.ToString()));
}
