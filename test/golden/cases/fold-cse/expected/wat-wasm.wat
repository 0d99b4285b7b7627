(module
 (type $0 (func (param f64) (result f64)))
 (type $1 (func (param i32)))
 (type $2 (func (param f64 f64) (result f64)))
 (type $3 (func (param i32 i32 i32 i32 i32 i32)))
 (type $4 (func (param i32 i32) (result i32)))
 (type $5 (func (param v128) (result v128)))
 (import "env" "memory" (memory $memory 290))
 (import "Math" "exp" (func $Math_exp (param f64) (result f64)))
 (import "Math" "log" (func $Math_log (param f64) (result f64)))
 (import "Math" "tanh" (func $Math_tanh (param f64) (result f64)))
 (import "Math" "sin" (func $Math_sin (param f64) (result f64)))
 (import "Math" "cos" (func $Math_cos (param f64) (result f64)))
 (import "Math" "pow" (func $Math_pow (param f64 f64) (result f64)))
 (import "runtime" "fillUniform01" (func $fillUniform01 (param i32 i32 i32 i32 i32 i32)))
 (export "run" (func $run))
 (func $g0_step (param $0 i32)
  (local $1 v128)
  (local $2 i32)
  (local $3 v128)
  (local.set $2
   (i32.const 0)
  )
  (if
   (i32.eqz
    (i32.ge_s
     (local.tee $0
      (i32.const 0)
     )
     (i32.const 16)
    )
   )
   (then
    (loop $next1
     (local.set $3
      (v128.load offset=1040
       (local.get $0)
      )
     )
     (v128.store offset=1024
      (local.get $0)
      (f32x4.add
       (f32x4.mul
        (v128.const i32x4 0x3f7aee4d 0x3f7aee4d 0x3f7aee4d 0x3f7aee4d)
        (v128.load offset=1024
         (local.get $0)
        )
       )
       (f32x4.mul
        (v128.const i32x4 0x38cfa1c8 0x38cfa1c8 0x38cfa1c8 0x38cfa1c8)
        (f32x4.div
         (f32x4.div
          (f32x4.mul
           (local.tee $1
            (f32x4.div
             (v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000)
             (f32x4.add
              (v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000)
              (call $f32x4_exp
               (f32x4.neg
                (f32x4.mul
                 (v128.const i32x4 0x40c00000 0x40c00000 0x40c00000 0x40c00000)
                 (f32x4.sub
                  (v128.load offset=1056
                   (local.get $0)
                  )
                  (v128.const i32x4 0x3f400000 0x3f400000 0x3f400000 0x3f400000)
                 )
                )
               )
              )
             )
            )
           )
           (v128.const i32x4 0x40800000 0x40800000 0x40800000 0x40800000)
          )
          (v128.const i32x4 0x40800000 0x40800000 0x40800000 0x40800000)
         )
         (v128.const i32x4 0x3ba3d70a 0x3ba3d70a 0x3ba3d70a 0x3ba3d70a)
        )
       )
      )
     )
     (v128.store offset=1040
      (local.get $0)
      (f32x4.add
       (f32x4.mul
        (v128.const i32x4 0x3f7aee4d 0x3f7aee4d 0x3f7aee4d 0x3f7aee4d)
        (local.get $3)
       )
       (f32x4.mul
        (v128.const i32x4 0x38cfa1c8 0x38cfa1c8 0x38cfa1c8 0x38cfa1c8)
        (f32x4.div
         (f32x4.mul
          (local.get $1)
          (local.get $1)
         )
         (v128.const i32x4 0x3ba3d70a 0x3ba3d70a 0x3ba3d70a 0x3ba3d70a)
        )
       )
      )
     )
     (br_if $next1
      (i32.lt_s
       (local.tee $0
        (i32.add
         (local.get $0)
         (i32.const 16)
        )
       )
       (i32.const 16)
      )
     )
    )
   )
  )
  (i32.store
   (i32.const 1104)
   (local.get $2)
  )
 )
 (func $step (param $0 i32)
  (local $1 i32)
  (local $2 i32)
  (local $3 i32)
  (local $4 f32)
  (i32.store
   (i32.add
    (i32.shl
     (local.tee $1
      (i32.load
       (i32.const 1168)
      )
     )
     (i32.const 2)
    )
    (i32.const 8389792)
   )
   (local.get $0)
  )
  (local.set $3
   (i32.add
    (i32.shl
     (local.get $1)
     (i32.const 5)
    )
    (i32.const 1184)
   )
  )
  (if
   (i32.eqz
    (i32.ge_s
     (local.tee $2
      (i32.const 0)
     )
     (i32.const 4)
    )
   )
   (then
    (loop $next1
     (f64.store
      (i32.add
       (i32.shl
        (local.get $2)
        (i32.const 3)
       )
       (local.get $3)
      )
      (f64.promote_f32
       (f32.load
        (i32.add
         (i32.shl
          (local.get $2)
          (i32.const 2)
         )
         (i32.const 1024)
        )
       )
      )
     )
     (br_if $next1
      (i32.lt_s
       (local.tee $2
        (i32.add
         (local.get $2)
         (i32.const 1)
        )
       )
       (i32.const 4)
      )
     )
    )
   )
  )
  (i32.store
   (i32.const 1168)
   (i32.add
    (local.get $1)
    (i32.const 1)
   )
  )
  (i32.store
   (i32.add
    (i32.shl
     (local.tee $1
      (i32.load
       (i32.const 9438368)
      )
     )
     (i32.const 2)
    )
    (i32.const 17826992)
   )
   (local.get $0)
  )
  (local.set $3
   (i32.add
    (i32.shl
     (local.get $1)
     (i32.const 5)
    )
    (i32.const 9438384)
   )
  )
  (if
   (i32.eqz
    (i32.ge_s
     (local.tee $2
      (i32.const 0)
     )
     (i32.const 4)
    )
   )
   (then
    (loop $next3
     (f64.store
      (i32.add
       (i32.shl
        (local.get $2)
        (i32.const 3)
       )
       (local.get $3)
      )
      (f64.promote_f32
       (f32.load
        (i32.add
         (i32.shl
          (local.get $2)
          (i32.const 2)
         )
         (i32.const 1040)
        )
       )
      )
     )
     (br_if $next3
      (i32.lt_s
       (local.tee $2
        (i32.add
         (local.get $2)
         (i32.const 1)
        )
       )
       (i32.const 4)
      )
     )
    )
   )
  )
  (i32.store
   (i32.const 9438368)
   (i32.add
    (local.get $1)
    (i32.const 1)
   )
  )
  (local.set $1
   (i32.load
    (i32.const 1160)
   )
  )
  (loop $wnext5
   (block $wdone4
    (block
     (br_if $wdone4
      (i32.eqz
       (i32.and
        (i32.le_s
         (local.tee $3
          (i32.add
           (local.get $1)
           (i32.const 1)
          )
         )
         (i32.const 0)
        )
        (i32.ge_s
         (local.get $0)
         (i32.load
          (i32.add
           (i32.shl
            (local.get $1)
            (i32.const 2)
           )
           (i32.const 1140)
          )
         )
        )
       )
      )
     )
     (local.set $1
      (local.get $3)
     )
     (br $wnext5)
    )
   )
  )
  (i32.store
   (i32.const 1160)
   (local.get $1)
  )
  (if
   (i32.ge_s
    (local.get $1)
    (i32.const 0)
   )
   (then
    (local.set $4
     (f32.demote_f64
      (f64.load
       (i32.add
        (i32.shl
         (local.get $1)
         (i32.const 3)
        )
        (i32.const 1144)
       )
      )
     )
    )
    (if
     (i32.eqz
      (i32.ge_s
       (local.tee $1
        (i32.const 0)
       )
       (i32.const 4)
      )
     )
     (then
      (loop $next7
       (f32.store
        (local.tee $3
         (i32.add
          (i32.shl
           (local.get $1)
           (i32.const 2)
          )
          (i32.const 1056)
         )
        )
        (f32.add
         (f32.load
          (local.get $3)
         )
         (local.get $4)
        )
       )
       (br_if $next7
        (i32.lt_s
         (local.tee $1
          (i32.add
           (local.get $1)
           (i32.const 1)
          )
         )
         (i32.const 4)
        )
       )
      )
     )
    )
   )
  )
  (call $g0_step
   (local.get $0)
  )
  (v128.store align=1
   (i32.const 1056)
   (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
  )
  (i32.store
   (i32.const 1120)
   (i32.add
    (local.tee $0
     (i32.load
      (i32.const 1104)
     )
    )
    (i32.load
     (i32.const 1120)
    )
   )
  )
  (i32.store
   (i32.const 1112)
   (local.get $0)
  )
 )
 (func $run (param $0 i32) (param $1 i32) (result i32)
  (loop $run_loop1
   (block $run_done0
    (block
     (br_if $run_done0
      (i32.le_s
       (local.get $1)
       (local.get $0)
      )
     )
     (call $step
      (local.get $0)
     )
     (local.set $0
      (i32.add
       (local.get $0)
       (i32.const 1)
      )
     )
     (br_if $run_loop1
      (i32.eqz
       (i32.or
        (i32.gt_s
         (i32.add
          (i32.load
           (i32.const 1168)
          )
          (i32.const 1)
         )
         (i32.const 262144)
        )
        (i32.gt_s
         (i32.add
          (i32.load
           (i32.const 9438368)
          )
          (i32.const 1)
         )
         (i32.const 262144)
        )
       )
      )
     )
    )
   )
  )
  (local.get $0)
 )
 (func $f32x4_exp (param $0 v128) (result v128)
  (local $1 v128)
  (local $2 v128)
  (local.set $2
   (f32x4.nearest
    (f32x4.mul
     (local.tee $1
      (f32x4.min
       (f32x4.max
        (local.get $0)
        (v128.const i32x4 0xc2aeac4f 0xc2aeac4f 0xc2aeac4f 0xc2aeac4f)
       )
       (v128.const i32x4 0x42b17217 0x42b17217 0x42b17217 0x42b17217)
      )
     )
     (v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b)
    )
   )
  )
  (v128.bitselect
   (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)
   (v128.bitselect
    (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    (f32x4.mul
     (f32x4.mul
      (f32x4.add
       (f32x4.mul
        (f32x4.add
         (f32x4.mul
          (f32x4.add
           (f32x4.mul
            (f32x4.add
             (f32x4.mul
              (f32x4.add
               (f32x4.mul
                (f32x4.add
                 (f32x4.mul
                  (f32x4.add
                   (f32x4.mul
                    (v128.const i32x4 0x39500d01 0x39500d01 0x39500d01 0x39500d01)
                    (local.tee $1
                     (f32x4.sub
                      (f32x4.sub
                       (local.get $1)
                       (f32x4.mul
                        (local.get $2)
                        (v128.const i32x4 0x3f317200 0x3f317200 0x3f317200 0x3f317200)
                       )
                      )
                      (f32x4.mul
                       (local.get $2)
                       (v128.const i32x4 0x35bfbe8e 0x35bfbe8e 0x35bfbe8e 0x35bfbe8e)
                      )
                     )
                    )
                   )
                   (v128.const i32x4 0x3ab60b61 0x3ab60b61 0x3ab60b61 0x3ab60b61)
                  )
                  (local.get $1)
                 )
                 (v128.const i32x4 0x3c088889 0x3c088889 0x3c088889 0x3c088889)
                )
                (local.get $1)
               )
               (v128.const i32x4 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab 0x3d2aaaab)
              )
              (local.get $1)
             )
             (v128.const i32x4 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab 0x3e2aaaab)
            )
            (local.get $1)
           )
           (v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000)
          )
          (local.get $1)
         )
         (v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000)
        )
        (local.get $1)
       )
       (v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000)
      )
      (i32x4.shl
       (i32x4.add
        (local.tee $1
         (i32x4.shr_s
          (local.tee $2
           (i32x4.trunc_sat_f32x4_s
            (local.get $2)
           )
          )
          (i32.const 1)
         )
        )
        (v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f)
       )
       (i32.const 23)
      )
     )
     (i32x4.shl
      (i32x4.add
       (i32x4.sub
        (local.get $2)
        (local.get $1)
       )
       (v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f)
      )
      (i32.const 23)
     )
    )
    (f32x4.lt
     (local.get $0)
     (v128.const i32x4 0xc2aeac4f 0xc2aeac4f 0xc2aeac4f 0xc2aeac4f)
    )
   )
   (f32x4.gt
    (local.get $0)
    (v128.const i32x4 0x42b17217 0x42b17217 0x42b17217 0x42b17217)
   )
  )
 )
)
