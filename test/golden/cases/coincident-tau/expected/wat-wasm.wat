(module
 (type $0 (func (param f64) (result f64)))
 (type $1 (func (param i32)))
 (type $2 (func (param f64 f64) (result f64)))
 (type $3 (func (param i32 i32 i32 i32 i32 i32)))
 (type $4 (func (param i32 i32) (result i32)))
 (import "env" "memory" (memory $memory 162))
 (import "Math" "exp" (func $Math_exp (param f64) (result f64)))
 (import "Math" "log" (func $Math_log (param f64) (result f64)))
 (import "Math" "tanh" (func $Math_tanh (param f64) (result f64)))
 (import "Math" "sin" (func $Math_sin (param f64) (result f64)))
 (import "Math" "cos" (func $Math_cos (param f64) (result f64)))
 (import "Math" "pow" (func $Math_pow (param f64 f64) (result f64)))
 (import "runtime" "fillUniform01" (func $fillUniform01 (param i32 i32 i32 i32 i32 i32)))
 (export "run" (func $run))
 (func $g0_step (param $0 i32)
  (local $1 i32)
  (local $2 v128)
  (local $3 v128)
  (local $4 i32)
  (local $5 i32)
  (local $6 v128)
  (local.set $0
   (i32.const 0)
  )
  (if
   (i32.eqz
    (i32.ge_s
     (local.tee $1
      (i32.const 0)
     )
     (i32.const 16)
    )
   )
   (then
    (loop $next1
     (local.set $2
      (v128.load offset=1024
       (local.get $1)
      )
     )
     (local.set $2
      (f32x4.sub
       (f32x4.add
        (f32x4.mul
         (v128.const i32x4 0x3f7d73e8 0x3f7d73e8 0x3f7d73e8 0x3f7d73e8)
         (local.get $2)
        )
        (f32x4.mul
         (v128.const i32x4 0x3c2235b3 0x3c2235b3 0x3c2235b3 0x3c2235b3)
         (local.tee $3
          (v128.load offset=1040
           (local.get $1)
          )
         )
        )
       )
       (v128.const i32x4 0x3a36961b 0x3a36961b 0x3a36961b 0x3a36961b)
      )
     )
     (local.set $3
      (f32x4.mul
       (v128.const i32x4 0x3f7d73e8 0x3f7d73e8 0x3f7d73e8 0x3f7d73e8)
       (local.get $3)
      )
     )
     (if
      (local.tee $5
       (i32x4.bitmask
        (local.tee $6
         (f32x4.gt
          (local.get $2)
          (v128.const i32x4 0xbd6147ae 0xbd6147ae 0xbd6147ae 0xbd6147ae)
         )
        )
       )
      )
      (then
       (local.set $0
        (block (result i32)
         (if
          (i32.and
           (i32.and
            (local.get $5)
            (i32.const 1)
           )
           (i32.lt_u
            (local.tee $4
             (i32.shr_u
              (local.get $1)
              (i32.const 2)
             )
            )
            (i32.const 2)
           )
          )
          (then
           (local.set $0
            (block (result i32)
             (i32.store offset=1056
              (i32.shl
               (local.get $0)
               (i32.const 2)
              )
              (local.get $4)
             )
             (i32.add
              (local.get $0)
              (i32.const 1)
             )
            )
           )
          )
         )
         (if
          (i32.and
           (i32.eqz
            (local.get $4)
           )
           (i32.and
            (i32.shr_u
             (local.get $5)
             (i32.const 1)
            )
            (i32.const 1)
           )
          )
          (then
           (local.set $0
            (block (result i32)
             (i32.store offset=1056
              (i32.shl
               (local.get $0)
               (i32.const 2)
              )
              (i32.add
               (local.get $4)
               (i32.const 1)
              )
             )
             (i32.add
              (local.get $0)
              (i32.const 1)
             )
            )
           )
          )
         )
         (local.set $2
          (v128.bitselect
           (v128.const i32x4 0xbd8f5c29 0xbd8f5c29 0xbd8f5c29 0xbd8f5c29)
           (local.get $2)
           (local.get $6)
          )
         )
         (local.get $0)
        )
       )
      )
     )
     (v128.store offset=1024
      (local.get $1)
      (local.get $2)
     )
     (v128.store offset=1040
      (local.get $1)
      (local.get $3)
     )
     (br_if $next1
      (i32.lt_s
       (local.tee $1
        (i32.add
         (local.get $1)
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
   (i32.const 1088)
   (local.get $0)
  )
 )
 (func $p0_deliver (param $0 i32)
  (local $1 i32)
  (local $2 i32)
  (local $3 i32)
  (local $4 i32)
  (local.set $3
   (i32.const 0)
  )
  (local.set $1
   (i32.const 0)
  )
  (if
   (i32.eqz
    (i32.le_s
     (i32.load
      (i32.const 1152)
     )
     (local.tee $2
      (i32.const 0)
     )
    )
   )
   (then
    (loop $next1
     (if
      (i32.and
       (i32.le_s
        (local.tee $0
         (i32.load
          (i32.add
           (i32.shl
            (local.get $2)
            (i32.const 2)
           )
           (i32.const 1120)
          )
         )
        )
        (i32.const 0)
       )
       (i32.ge_s
        (local.get $0)
        (i32.const 0)
       )
      )
      (then
       (local.set $1
        (i32.xor
         (i32.add
          (i32.load16_u
           (i32.add
            (i32.shl
             (i32.load
              (i32.add
               (local.tee $0
                (i32.shl
                 (local.get $0)
                 (i32.const 2)
                )
               )
               (i32.const 1264)
              )
             )
             (i32.const 1)
            )
            (i32.const 1232)
           )
          )
          (i32.load16_u
           (i32.add
            (i32.shl
             (i32.load
              (i32.add
               (local.get $0)
               (i32.const 1268)
              )
             )
             (i32.const 1)
            )
            (i32.const 1230)
           )
          )
         )
         (local.get $1)
        )
       )
      )
     )
     (br_if $next1
      (i32.gt_s
       (i32.load
        (i32.const 1152)
       )
       (local.tee $2
        (i32.add
         (local.get $2)
         (i32.const 1)
        )
       )
      )
     )
    )
   )
  )
  (i32.store
   (i32.const 10487048)
   (local.get $1)
  )
  (if
   (i32.eqz
    (i32.le_s
     (i32.load
      (i32.const 1152)
     )
     (local.tee $2
      (i32.const 0)
     )
    )
   )
   (then
    (loop $next5
     (if
      (i32.and
       (i32.le_s
        (local.tee $0
         (i32.load
          (i32.add
           (i32.shl
            (local.get $2)
            (i32.const 2)
           )
           (i32.const 1120)
          )
         )
        )
        (i32.const 0)
       )
       (i32.ge_s
        (local.get $0)
        (i32.const 0)
       )
      )
      (then
       (local.set $0
        (i32.load
         (i32.add
          (local.tee $1
           (i32.shl
            (local.get $0)
            (i32.const 2)
           )
          )
          (i32.const 1264)
         )
        )
       )
       (local.set $3
        (i32.add
         (i32.sub
          (local.tee $1
           (i32.load
            (i32.add
             (local.get $1)
             (i32.const 1268)
            )
           )
          )
          (local.get $0)
         )
         (local.get $3)
        )
       )
       (if
        (i32.eqz
         (i32.ge_s
          (local.get $0)
          (local.get $1)
         )
        )
        (then
         (loop $next3
          (f32.store
           (local.tee $4
            (i32.add
             (i32.shl
              (i32.load16_u
               (i32.add
                (i32.shl
                 (local.get $0)
                 (i32.const 1)
                )
                (i32.const 1232)
               )
              )
              (i32.const 2)
             )
             (i32.const 1040)
            )
           )
           (f32.add
            (f32.load
             (local.get $4)
            )
            (f32.const 0.03999999910593033)
           )
          )
          (br_if $next3
           (i32.lt_s
            (local.tee $0
             (i32.add
              (local.get $0)
              (i32.const 1)
             )
            )
            (local.get $1)
           )
          )
         )
        )
       )
      )
     )
     (br_if $next5
      (i32.gt_s
       (i32.load
        (i32.const 1152)
       )
       (local.tee $2
        (i32.add
         (local.get $2)
         (i32.const 1)
        )
       )
      )
     )
    )
   )
  )
  (f64.store
   (i32.const 10487040)
   (f64.add
    (f64.load
     (i32.const 10487040)
    )
    (f64.convert_i32_u
     (local.get $3)
    )
   )
  )
 )
 (func $step (param $0 i32)
  (local $1 i32)
  (local $2 i32)
  (local $3 i32)
  (i32.store
   (i32.add
    (i32.shl
     (local.tee $2
      (i32.load
       (i32.const 1272)
      )
     )
     (i32.const 2)
    )
    (i32.const 8389888)
   )
   (local.get $0)
  )
  (local.set $1
   (i32.add
    (i32.shl
     (local.get $2)
     (i32.const 4)
    )
    (i32.const 1280)
   )
  )
  (if
   (i32.eqz
    (i32.ge_s
     (local.tee $3
      (i32.const 0)
     )
     (i32.const 2)
    )
   )
   (then
    (loop $next1
     (f64.store
      (i32.add
       (i32.shl
        (local.get $3)
        (i32.const 3)
       )
       (local.get $1)
      )
      (f64.promote_f32
       (f32.load
        (i32.add
         (i32.shl
          (local.get $3)
          (i32.const 2)
         )
         (i32.const 1024)
        )
       )
      )
     )
     (br_if $next1
      (i32.lt_s
       (local.tee $3
        (i32.add
         (local.get $3)
         (i32.const 1)
        )
       )
       (i32.const 2)
      )
     )
    )
   )
  )
  (i32.store
   (i32.const 1272)
   (i32.add
    (local.get $2)
    (i32.const 1)
   )
  )
  (call $g0_step
   (local.get $0)
  )
  (local.set $2
   (i32.const 0)
  )
  (local.set $1
   (i32.load
    (i32.const 1216)
   )
  )
  (loop $wnext3
   (block $wdone2
    (block
     (br_if $wdone2
      (i32.eqz
       (i32.and
        (i32.lt_s
         (local.get $1)
         (i32.const 2)
        )
        (i32.gt_s
         (local.get $0)
         (i32.load
          (i32.add
           (i32.shl
            (local.get $1)
            (i32.const 2)
           )
           (i32.const 1184)
          )
         )
        )
       )
      )
     )
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 1)
      )
     )
     (br $wnext3)
    )
   )
  )
  (loop $wnext5
   (block $wdone4
    (block
     (br_if $wdone4
      (i32.eqz
       (i32.and
        (i32.eq
         (local.get $0)
         (i32.load
          (i32.add
           (local.tee $3
            (i32.shl
             (local.get $1)
             (i32.const 2)
            )
           )
           (i32.const 1184)
          )
         )
        )
        (i32.lt_s
         (local.get $1)
         (i32.const 2)
        )
       )
      )
     )
     (i32.store
      (i32.add
       (i32.shl
        (local.get $2)
        (i32.const 2)
       )
       (i32.const 1120)
      )
      (i32.load
       (i32.add
        (local.get $3)
        (i32.const 1200)
       )
      )
     )
     (local.set $2
      (i32.add
       (local.get $2)
       (i32.const 1)
      )
     )
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 1)
      )
     )
     (br $wnext5)
    )
   )
  )
  (i32.store
   (i32.const 1216)
   (local.get $1)
  )
  (i32.store
   (i32.const 1152)
   (local.get $2)
  )
  (call $p0_deliver
   (local.get $0)
  )
  (i32.store
   (i32.const 1104)
   (i32.add
    (local.tee $0
     (i32.load
      (i32.const 1088)
     )
    )
    (i32.load
     (i32.const 1104)
    )
   )
  )
  (i32.store
   (i32.const 1096)
   (local.get $0)
  )
  (i32.store
   (i32.const 1168)
   (i32.add
    (local.tee $0
     (i32.load
      (i32.const 1152)
     )
    )
    (i32.load
     (i32.const 1168)
    )
   )
  )
  (i32.store
   (i32.const 1160)
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
       (i32.gt_s
        (i32.add
         (i32.load
          (i32.const 1272)
         )
         (i32.const 1)
        )
        (i32.const 524288)
       )
      )
     )
    )
   )
  )
  (local.get $0)
 )
)
