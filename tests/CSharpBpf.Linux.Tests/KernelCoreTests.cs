using System;
using CSharpBpf.Linux.Core;
using CSharpBpf.Linux.KernelTypes;
using CSharpBpf.Linux.Loader;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Core;
using CSharpBpf.Object.Isa;
using Xunit;

namespace CSharpBpf.Linux.Tests;

/// <summary>
/// The loader's CO-RE glue on synthetic kernel BTF (no kernel needed): the engine itself is tested in
/// CSharpBpf.Object.Tests (Core/CoreResolverTests); here, that a KernelBtf is searched vmlinux first and
/// modules only on a miss, that patches land in a linked program, and that engine errors surface as
/// the loader's CoreRelocationException.
/// </summary>
public sealed class KernelCoreTests
{
    private readonly Btf _vmlinux = new();
    private readonly Btf _local = new();
    private readonly uint _localTask, _localModType;
    private readonly KernelBtf _kernel;

    public KernelCoreTests()
    {
        var kint = _vmlinux.AddInt("int", 4, BtfIntEncoding.Signed);
        var task = _vmlinux.AddStruct("task", 8);
        task.AddMember("other", kint.Id, 0);
        task.AddMember("pid", kint.Id, 32);
        var module = new Btf(_vmlinux);
        var modType = module.AddStruct("modtype", 16);
        modType.AddMember("x", kint.Id, 96);

        var lint = _local.AddInt("int", 4, BtfIntEncoding.Signed);
        var lt = _local.AddStruct("task___mine", 4);
        lt.AddMember("pid", lint.Id, 0);
        _localTask = lt.Id;
        var lm = _local.AddStruct("modtype", 4);
        lm.AddMember("x", lint.Id, 0);
        _localModType = lm.Id;

        var fake = new ModuleBtf("fake_mod", module, () => throw new InvalidOperationException("CO-RE needs no module fd"));
        _kernel = new KernelBtf(_vmlinux, new[] { fake });
    }

    [Fact]
    public void Kernel_BTF_resolves_from_vmlinux_then_modules()
    {
        Assert.Equal(4UL, KernelCore.Resolve(_local, new BtfCoreRelo(0, _localTask, "0:0", BpfCoreReloKind.FieldByteOffset), _kernel).Value);
        Assert.Equal(12UL, KernelCore.Resolve(_local, new BtfCoreRelo(0, _localModType, "0:0", BpfCoreReloKind.FieldByteOffset), _kernel).Value);
        Assert.Same(_kernel.CoreTarget, _kernel.CoreTarget);
    }

    [Fact]
    public void Engine_errors_become_the_loaders_CoreRelocationException()
    {
        var ex = Assert.Throws<CoreRelocationException>(() => KernelCore.Resolve(_local, new BtfCoreRelo(0, _localTask, "0:9", BpfCoreReloKind.FieldByteOffset), _kernel));
        Assert.IsType<CoreResolutionException>(ex.InnerException);
        Assert.Contains("struct task___mine", ex.Message);
    }

    [Fact]
    public void Relocate_patches_a_linked_program_and_records_poisoned_instructions()
    {
        var ghost = _local.AddStruct("ghost", 4);
        ghost.AddMember("g", _local.FindId("int", BtfKind.Int), 0);
        var fn = new FunctionSpec("p", ".text", 0, new[] { Insns.Ldx(MemSize.W, 0, 1, 0), Insns.Ldx(MemSize.W, 0, 1, 0), Insns.Exit() }, null);
        var linked = new LinkedProgram(fn);
        linked.Instructions.AddRange(fn.Instructions);
        linked.CoreRelos.Add((0, new BtfCoreRelo(0, _localTask, "0:0", BpfCoreReloKind.FieldByteOffset)));
        linked.CoreRelos.Add((1, new BtfCoreRelo(8, ghost.Id, "0:0", BpfCoreReloKind.FieldByteOffset)));

        KernelCore.Relocate(linked, _local, _kernel);

        Assert.Equal(4, linked.Instructions[0].Offset);
        Assert.Equal(CorePatcher.PoisonHelperId, linked.Instructions[1].Imm);
        Assert.Contains("ghost", linked.PoisonedRelocations[1]);
        Assert.Single(linked.PoisonedRelocations);
    }
}
