using System.Collections.Generic;
using CSharpBpf.Object.Btf;
using CSharpBpf.Object.Core;
using CSharpBpf.Object.Isa;
using Xunit;

namespace CSharpBpf.Object.Tests.Core;

using Btf = CSharpBpf.Object.Btf.Btf;

/// <summary>The CO-RE engine on synthetic local and "kernel" BTF (no kernel needed).</summary>
public sealed class CoreResolverTests
{
    private readonly Btf _kernel = new();
    private readonly Btf _local = new();
    private readonly CoreTargetBtf _set;
    private readonly uint _localTask, _localFlavor, _localEnum, _localBits;

    public CoreResolverTests()
    {
        // Kernel: struct task { long other; int pid; struct { int tgid; }; unsigned flags:3, ready:1; }; enum kind { A = 5, B = 9 }.
        var kint = _kernel.AddInt("int", 4, BtfIntEncoding.Signed);
        var kuint = _kernel.AddInt("unsigned int", 4, BtfIntEncoding.None);
        var klong = _kernel.AddInt("long", 8, BtfIntEncoding.Signed);
        var anon = _kernel.AddStruct("", 4);
        anon.AddMember("tgid", kint.Id, 0);
        var task = _kernel.AddStruct("task", 24);
        task.AddMember("other", klong.Id, 0);
        task.AddMember("pid", kint.Id, 64);
        task.AddMember("", anon.Id, 96);
        task.KindFlag = true;
        task.AddMember("flags", kuint.Id, 128, 3);
        task.AddMember("ready", kuint.Id, 131, 1);
        var e = _kernel.AddEnum("kind", 4);
        e.AddValue("A", 5);
        e.AddValue("B", 9);
        _set = new CoreTargetBtf(_kernel);

        // Local: struct task___v1 { int pid; int tgid; int gone; }; struct task (for bitfields); enum kind { B, C }.
        var lint = _local.AddInt("int", 4, BtfIntEncoding.Signed);
        var luint = _local.AddInt("unsigned int", 4, BtfIntEncoding.None);
        var flav = _local.AddStruct("task___v1", 12);
        flav.AddMember("pid", lint.Id, 0);
        flav.AddMember("tgid", lint.Id, 32);
        flav.AddMember("gone", lint.Id, 64);
        _localFlavor = flav.Id;
        var lt = _local.AddStruct("task", 8);
        lt.KindFlag = true;
        lt.AddMember("pid", lint.Id, 0);
        lt.AddMember("ready", luint.Id, 32, 1);
        _localTask = lt.Id;
        var le = _local.AddEnum("kind", 4);
        le.AddValue("B", 0);
        le.AddValue("C", 1);
        _localEnum = le.Id;
        _localBits = lt.Id;
    }

    private CoreResult R(uint type, string access, BpfCoreReloKind kind) => CoreResolver.Resolve(_local, new BtfCoreRelo(0, type, access, kind), _set);

    [Fact]
    public void Field_offsets_follow_names_through_flavors_and_anonymous_members()
    {
        Assert.Equal(8UL, R(_localFlavor, "0:0", BpfCoreReloKind.FieldByteOffset).Value);
        Assert.Equal(12UL, R(_localFlavor, "0:1", BpfCoreReloKind.FieldByteOffset).Value);
        Assert.Equal(4UL, R(_localFlavor, "0:0", BpfCoreReloKind.FieldByteSize).Value);
        Assert.Equal(1UL, R(_localFlavor, "0:0", BpfCoreReloKind.FieldSigned).Value);
        Assert.Equal(1UL, R(_localFlavor, "0:1", BpfCoreReloKind.FieldExists).Value);
    }

    [Fact]
    public void Missing_field_reports_absence_or_poisons_with_type_and_field_named()
    {
        Assert.Equal(0UL, R(_localFlavor, "0:2", BpfCoreReloKind.FieldExists).Value);
        var poisoned = R(_localFlavor, "0:2", BpfCoreReloKind.FieldByteOffset);
        Assert.True(poisoned.Poison);
        Assert.Contains("struct task___v1.gone", poisoned.Description);
        Assert.Contains("has no member 'gone'", poisoned.Description);

        var insns = new[] { Insns.Ldx(MemSize.W, 1, 1, 0), Insns.Exit() };
        CorePatcher.Apply(insns, 0, new BtfCoreRelo(0, _localFlavor, "0:2", BpfCoreReloKind.FieldByteOffset), poisoned);
        Assert.Equal(CorePatcher.PoisonHelperId, insns[0].Imm);
        Assert.True(insns[0].IsCall);
    }

    [Fact]
    public void Bitfield_shifts_and_load_size_match_libbpf()
    {
        // ready: bit 131 of an unsigned int → 4-byte load at byte 16, bit 3 within it.
        Assert.Equal(16UL, R(_localBits, "0:1", BpfCoreReloKind.FieldByteOffset).Value);
        Assert.Equal(4UL, R(_localBits, "0:1", BpfCoreReloKind.FieldByteSize).Value);
        Assert.Equal(64UL - (131 + 1 - 128), R(_localBits, "0:1", BpfCoreReloKind.FieldLShiftU64).Value);
        Assert.Equal(63UL, R(_localBits, "0:1", BpfCoreReloKind.FieldRShiftU64).Value);
        Assert.Equal(0UL, R(_localBits, "0:1", BpfCoreReloKind.FieldSigned).Value);
    }

    [Fact]
    public void Type_and_enum_relocations()
    {
        Assert.Equal(1UL, R(_localFlavor, "0", BpfCoreReloKind.TypeExists).Value);
        Assert.Equal(24UL, R(_localFlavor, "0", BpfCoreReloKind.TypeSize).Value);
        Assert.Equal((ulong)_kernel.FindId("task", BtfKind.Struct), R(_localFlavor, "0", BpfCoreReloKind.TypeIdTarget).Value);
        Assert.Equal((ulong)_localFlavor, R(_localFlavor, "0", BpfCoreReloKind.TypeIdLocal).Value);
        Assert.Equal(9UL, R(_localEnum, "0", BpfCoreReloKind.EnumvalValue).Value);
        Assert.Equal(1UL, R(_localEnum, "0", BpfCoreReloKind.EnumvalExists).Value);
        Assert.Equal(0UL, R(_localEnum, "1", BpfCoreReloKind.EnumvalExists).Value);
        Assert.True(R(_localEnum, "1", BpfCoreReloKind.EnumvalValue).Poison);
    }

    [Fact]
    public void Ambiguous_candidates_are_an_error_naming_the_field()
    {
        var dup = _kernel.AddStruct("task___dup", 16);
        dup.AddMember("pid", _kernel.FindId("int", BtfKind.Int), 32);
        var ex = Assert.Throws<CoreResolutionException>(() => R(_localFlavor, "0:0", BpfCoreReloKind.FieldByteOffset));
        Assert.Contains("struct task___v1.pid", ex.Message);
    }

    [Fact]
    public void Offset_patch_resizes_a_load_to_the_kernel_field_size()
    {
        var insns = new[] { Insns.Ldx(MemSize.DW, 1, 1, 0) };
        var result = new CoreResult(12, false, 4, "test");
        CorePatcher.Apply(insns, 0, new BtfCoreRelo(0, _localFlavor, "0:1", BpfCoreReloKind.FieldByteOffset), result);
        Assert.Equal(12, insns[0].Offset);
        Assert.Equal(MemSize.W, insns[0].Size);
    }

    [Fact]
    public void Type_matches_requires_the_local_shape_in_the_kernel()
    {
        // task___v1 has a member 'gone' the kernel's task lacks: exists, but does not match.
        Assert.Equal(1UL, R(_localFlavor, "0", BpfCoreReloKind.TypeExists).Value);
        Assert.Equal(0UL, R(_localFlavor, "0", BpfCoreReloKind.TypeMatches).Value);
        var m = _local.AddStruct("task___m", 8);
        m.AddMember("pid", _local.FindId("int", BtfKind.Int), 0);
        Assert.Equal(1UL, R(m.Id, "0", BpfCoreReloKind.TypeMatches).Value);
        var wrong = _local.AddStruct("task___w", 8);
        wrong.AddMember("pid", _local.AddInt("short", 2, BtfIntEncoding.Signed).Id, 0);
        Assert.Equal(0UL, R(wrong.Id, "0", BpfCoreReloKind.TypeMatches).Value);
    }

    [Fact]
    public void Fallback_BTF_is_searched_only_when_the_primary_has_no_candidate()
    {
        // A "module" defining struct modtype on top of the kernel (split BTF, ids after the base's).
        var module = new Btf(_kernel);
        var mod = module.AddStruct("modtype", 16);
        mod.AddMember("x", _kernel.FindId("long", BtfKind.Int), 64);
        var lmod = _local.AddStruct("modtype___mine", 8);
        lmod.AddMember("x", _local.FindId("int", BtfKind.Int), 0);

        int enumerations = 0;
        IEnumerable<Btf> Modules()
        {
            enumerations++;
            yield return module;
        }
        var target = new CoreTargetBtf(_kernel, Modules());

        // vmlinux has "task": the modules are not even enumerated.
        Assert.Equal(8UL, CoreResolver.Resolve(_local, new BtfCoreRelo(0, _localFlavor, "0:0", BpfCoreReloKind.FieldByteOffset), target).Value);
        Assert.Equal(0, enumerations);

        // Only the module has "modtype": found there, with the module's id and layout.
        Assert.Equal(8UL, CoreResolver.Resolve(_local, new BtfCoreRelo(0, lmod.Id, "0:0", BpfCoreReloKind.FieldByteOffset), target).Value);
        Assert.Equal((ulong)mod.Id, CoreResolver.Resolve(_local, new BtfCoreRelo(0, lmod.Id, "0", BpfCoreReloKind.TypeIdTarget), target).Value);
        Assert.Equal(2, enumerations);

        // Without the module, the same field poisons.
        Assert.True(CoreResolver.Resolve(_local, new BtfCoreRelo(0, lmod.Id, "0:0", BpfCoreReloKind.FieldByteOffset), _kernel).Poison);
    }

    [Fact]
    public void Missing_type_poisons_offsets_and_reports_absence_for_exists()
    {
        var ghost = _local.AddStruct("ghost", 4);
        ghost.AddMember("a", _local.FindId("int", BtfKind.Int), 0);
        var offset = R(ghost.Id, "0:0", BpfCoreReloKind.FieldByteOffset);
        Assert.True(offset.Poison);
        Assert.Contains("no type named 'ghost'", offset.Description);
        Assert.False(R(ghost.Id, "0", BpfCoreReloKind.TypeExists).Poison);
        Assert.Equal(0UL, R(ghost.Id, "0", BpfCoreReloKind.TypeExists).Value);
        Assert.True(R(ghost.Id, "0", BpfCoreReloKind.TypeSize).Poison);
    }

    [Fact]
    public void Array_steps_index_within_the_target_bounds()
    {
        // Kernel: struct arr { int v[4]; }; local: struct arr { int v[8]; } accessed at [2] and [6].
        var kint = _kernel.FindId("int", BtfKind.Int);
        var kidx = _kernel.AddInt("__ARRAY_SIZE_TYPE__", 4, BtfIntEncoding.None);
        var karr = _kernel.AddArray(kint, kidx.Id, 4);
        var ks = _kernel.AddStruct("arr", 16);
        ks.AddMember("v", karr.Id, 0);
        var lint = _local.FindId("int", BtfKind.Int);
        var lidx = _local.AddInt("__ARRAY_SIZE_TYPE__", 4, BtfIntEncoding.None);
        var larr = _local.AddArray(lint, lidx.Id, 8);
        var ls = _local.AddStruct("arr", 32);
        ls.AddMember("v", larr.Id, 0);

        Assert.Equal(8UL, R(ls.Id, "0:0:2", BpfCoreReloKind.FieldByteOffset).Value);
        var beyond = R(ls.Id, "0:0:6", BpfCoreReloKind.FieldByteOffset);
        Assert.True(beyond.Poison);
        Assert.Contains("beyond the kernel array of 4", beyond.Description);
    }

    [Theory]
    [InlineData("0:x")]
    [InlineData("0:-1")]
    [InlineData("")]
    public void Malformed_access_strings_are_typed_errors_naming_the_string(string access)
    {
        var ex = Assert.Throws<CoreResolutionException>(() => R(_localFlavor, access, BpfCoreReloKind.FieldByteOffset));
        Assert.Contains($"'{access}'", ex.Message);
    }

    [Fact]
    public void Out_of_range_member_and_unknown_type_id_are_typed_errors()
    {
        Assert.Contains("member #7 out of range", Assert.Throws<CoreResolutionException>(() => R(_localFlavor, "0:7", BpfCoreReloKind.FieldByteOffset)).Message);
        Assert.Contains("type id 999", Assert.Throws<CoreResolutionException>(() => R(999, "0:0", BpfCoreReloKind.FieldByteOffset)).Message);
        Assert.Contains("not an enum", Assert.Throws<CoreResolutionException>(() => R(_localFlavor, "0", BpfCoreReloKind.EnumvalValue)).Message);
    }

    [Fact]
    public void Patching_refuses_instructions_that_carry_no_value()
    {
        var result = new CoreResult(12, false, 4, "test");
        var relo = new BtfCoreRelo(0, _localFlavor, "0:1", BpfCoreReloKind.FieldByteOffset);
        Assert.Throws<CoreResolutionException>(() => CorePatcher.Apply(new[] { Insns.Exit() }, 0, relo, result));
        Assert.Throws<CoreResolutionException>(() => CorePatcher.Apply(new[] { Insns.Alu64Reg(AluOp.Add, 1, 2) }, 0, relo, result));
        var size = new BtfCoreRelo(0, _localFlavor, "0:1", BpfCoreReloKind.FieldByteSize);
        Assert.Throws<CoreResolutionException>(() => CorePatcher.Apply(new[] { Insns.Ldx(MemSize.W, 1, 1, 0) }, 0, size, result));

        // An ALU immediate and a 64-bit load take the value (both halves of the wide load).
        var alu = new[] { Insns.Mov64Imm(1, 0) };
        CorePatcher.Apply(alu, 0, size, new CoreResult(4, false, 0, "size"));
        Assert.Equal(4, alu[0].Imm);
        var wide = Insns.LoadImm64(1, 0);
        CorePatcher.Apply(wide, 0, size, new CoreResult(0x1_0000_0002UL, false, 0, "wide"));
        Assert.Equal(2, wide[0].Imm);
        Assert.Equal(1, wide[1].Imm);
    }

    [Fact]
    public void Essential_names_drop_the_last_flavor_only()
    {
        Assert.Equal("task_struct", CoreNames.Essential("task_struct___old"));
        Assert.Equal("a___b", CoreNames.Essential("a___b___c"));
        Assert.Equal("plain", CoreNames.Essential("plain"));
        Assert.Equal("___x", CoreNames.Essential("___x"));
    }
}
