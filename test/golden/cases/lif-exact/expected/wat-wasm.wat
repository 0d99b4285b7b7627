(module
 (type $0 (func (param f64) (result f64)))
 (type $1 (func (param i32)))
 (type $2 (func (param f64 f64) (result f64)))
 (type $3 (func (param i32 i32 i32 i32 i32 i32)))
 (type $4 (func (param i32 i32) (result i32)))
 (import "env" "memory" (memory $memory 202))
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
  (local $3 i32)
  (local $4 v128)
  (local $5 i32)
  (local $6 i32)
  (local $7 v128)
  (local $8 v128)
  (local.set $1
   (i32.const 0)
  )
  (local.set $7
   (i32x4.splat
    (local.get $0)
   )
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
     (local.set $2
      (v128.load offset=1024
       (local.get $0)
      )
     )
     (v128.store offset=1024
      (local.get $0)
      (block (result v128)
       (if
        (local.tee $5
         (i32x4.bitmask
          (local.tee $4
           (v128.andnot
            (f32x4.gt
             (local.tee $2
              (v128.bitselect
               (local.get $2)
               (f32x4.sub
                (f32x4.mul
                 (v128.const i32x4 0x3f7d73e8 0x3f7d73e8 0x3f7d73e8 0x3f7d73e8)
                 (local.get $2)
                )
                (v128.const i32x4 0x39eac0fe 0x39eac0fe 0x39eac0fe 0x39eac0fe)
               )
               (local.tee $4
                (i32x4.lt_s
                 (i32x4.sub
                  (local.get $7)
                  (local.tee $8
                   (v128.load offset=1040
                    (local.get $0)
                   )
                  )
                 )
                 (v128.const i32x4 0x00000014 0x00000014 0x00000014 0x00000014)
                )
               )
              )
             )
             (v128.const i32x4 0xbd4ccccd 0xbd4ccccd 0xbd4ccccd 0xbd4ccccd)
            )
            (local.get $4)
           )
          )
         )
        )
        (then
         (local.set $2
          (block (result v128)
           (if
            (i32.and
             (i32.and
              (local.get $5)
              (i32.const 1)
             )
             (i32.le_u
              (local.tee $3
               (i32.shr_u
                (local.get $0)
                (i32.const 2)
               )
              )
              (i32.const 0)
             )
            )
            (then
             (local.set $1
              (block (result i32)
               (i32.store offset=1056
                (i32.shl
                 (local.get $1)
                 (i32.const 2)
                )
                (local.get $3)
               )
               (i32.add
                (local.get $1)
                (i32.const 1)
               )
              )
             )
            )
           )
           (if
            (i32.and
             (i32.and
              (i32.shr_u
               (local.get $5)
               (i32.const 1)
              )
              (i32.const 1)
             )
             (i32.le_u
              (local.tee $6
               (i32.add
                (local.get $3)
                (i32.const 1)
               )
              )
              (i32.const 0)
             )
            )
            (then
             (local.set $1
              (block (result i32)
               (i32.store offset=1056
                (i32.shl
                 (local.get $1)
                 (i32.const 2)
                )
                (local.get $6)
               )
               (i32.add
                (local.get $1)
                (i32.const 1)
               )
              )
             )
            )
           )
           (if
            (i32.and
             (i32.and
              (i32.shr_u
               (local.get $5)
               (i32.const 2)
              )
              (i32.const 1)
             )
             (i32.le_u
              (local.tee $6
               (i32.add
                (local.get $3)
                (i32.const 2)
               )
              )
              (i32.const 0)
             )
            )
            (then
             (local.set $1
              (block (result i32)
               (i32.store offset=1056
                (i32.shl
                 (local.get $1)
                 (i32.const 2)
                )
                (local.get $6)
               )
               (i32.add
                (local.get $1)
                (i32.const 1)
               )
              )
             )
            )
           )
           (if
            (i32.and
             (i32.and
              (i32.shr_u
               (local.get $5)
               (i32.const 3)
              )
              (i32.const 1)
             )
             (i32.le_u
              (local.tee $3
               (i32.add
                (local.get $3)
                (i32.const 3)
               )
              )
              (i32.const 0)
             )
            )
            (then
             (local.set $1
              (block (result i32)
               (i32.store offset=1056
                (i32.shl
                 (local.get $1)
                 (i32.const 2)
                )
                (local.get $3)
               )
               (i32.add
                (local.get $1)
                (i32.const 1)
               )
              )
             )
            )
           )
           (v128.store offset=1040
            (local.get $0)
            (v128.bitselect
             (local.get $7)
             (local.get $8)
             (local.get $4)
            )
           )
           (v128.bitselect
            (v128.const i32x4 0xbd851eb8 0xbd851eb8 0xbd851eb8 0xbd851eb8)
            (local.get $2)
            (local.get $4)
           )
          )
         )
        )
       )
       (local.get $2)
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
   (i32.const 1088)
   (local.get $1)
  )
 )
 (func $step (param $0 i32)
  (local $1 i32)
  (local $2 i32)
  (local $3 i32)
  (i32.store
   (i32.add
    (i32.shl
     (local.tee $1
      (i32.load
       (i32.const 525408)
      )
     )
     (i32.const 2)
    )
    (i32.const 8914032)
   )
   (local.get $0)
  )
  (local.set $3
   (i32.add
    (i32.shl
     (local.get $1)
     (i32.const 3)
    )
    (i32.const 525424)
   )
  )
  (if
   (i32.eqz
    (i32.gt_s
     (local.tee $2
      (i32.const 0)
     )
     (i32.const 0)
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
      (i32.le_s
       (local.tee $2
        (i32.add
         (local.get $2)
         (i32.const 1)
        )
       )
       (i32.const 0)
      )
     )
    )
   )
  )
  (i32.store
   (i32.const 525408)
   (i32.add
    (local.get $1)
    (i32.const 1)
   )
  )
  (call $g0_step
   (local.get $0)
  )
  (i32.store
   (i32.const 1104)
   (i32.add
    (local.tee $1
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
   (local.get $1)
  )
  (local.set $1
   (i32.load
    (i32.const 1112)
   )
  )
  (if
   (i32.eqz
    (i32.le_s
     (i32.load
      (i32.const 1088)
     )
     (local.tee $3
      (i32.const 0)
     )
    )
   )
   (then
    (loop $next3
     (i32.store
      (local.tee $2
       (i32.add
        (i32.shl
         (local.get $1)
         (i32.const 3)
        )
        (i32.const 1120)
       )
      )
      (local.get $0)
     )
     (i32.store offset=4
      (local.get $2)
      (i32.load
       (i32.add
        (i32.shl
         (local.get $3)
         (i32.const 2)
        )
        (i32.const 1056)
       )
      )
     )
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 1)
      )
     )
     (br_if $next3
      (i32.gt_s
       (i32.load
        (i32.const 1088)
       )
       (local.tee $3
        (i32.add
         (local.get $3)
         (i32.const 1)
        )
       )
      )
     )
    )
   )
  )
  (i32.store
   (i32.const 1112)
   (local.get $1)
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
           (i32.const 1112)
          )
          (i32.const 1)
         )
         (i32.const 65536)
        )
        (i32.gt_s
         (i32.add
          (i32.load
           (i32.const 525408)
          )
          (i32.const 1)
         )
         (i32.const 1048576)
        )
       )
      )
     )
    )
   )
  )
  (local.get $0)
 )
)
